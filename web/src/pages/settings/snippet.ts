// The widget's embed code, and how a site signs its user ids for identity verification
// (crates/server/src/auth/identity.rs: hex(HMAC-SHA256(secret, userId + ":" + timestamp)),
// refused when over an hour old). The widget reads `hash` (or `userHash`) and `timestamp`
// from `user` (src/widget/types.ts).

export type IdentityMode = "off" | "optional" | "required";

export function identityMode(secretSet: boolean, required: boolean): IdentityMode {
  if (!secretSet) return "off";
  return required ? "required" : "optional";
}

export function embedSnippet(origin: string, companyId: string, mode: IdentityMode = "off"): string {
  const signed =
    mode === "off"
      ? ""
      : `,
      // Identity verification (${mode}): computed on your server with the identity secret,
      // hash = hex(HMAC-SHA256(secret, id + ':' + timestamp)); valid for an hour.
      timestamp: UNIX_TIMESTAMP,
      hash: 'USER_HASH'`;
  return `<script>
  window.customerAIConfig = {
    companyId: '${companyId}',
    user: {
      id: 'USER_ID',
      name: 'USER_NAME',
      email: 'USER_EMAIL'${signed}
    }
  };
</script>
<script src="${origin}/widget.js" async></script>`;
}

/** Server-side signing in Node.js; the secret never goes to the browser. */
export const SIGNING_EXAMPLE = `import { createHmac } from 'node:crypto';

const timestamp = Math.floor(Date.now() / 1000);
const hash = createHmac('sha256', process.env.SWITCHBOARD_IDENTITY_SECRET)
  .update(\`\${user.id}:\${timestamp}\`)
  .digest('hex');
// Render user.id, timestamp and hash into the page's customerAIConfig.user.`;
