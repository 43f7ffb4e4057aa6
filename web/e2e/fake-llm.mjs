// A stand-in for an OpenAI-compatible model server on loopback, speaking the real protocol
// (POST /v1/chat/completions, `stream: true`, server-sent events): a question about returns
// is answered in slow pieces citing the first passage it was given, and anything else gets
// the `insufficient_context` function call, which Switchboard turns into a handoff.
import { createServer } from 'node:http';

const ANSWER = ['You can return ', 'unused items ', 'within 30 days ', 'for a full refund [P1].'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function startFakeLlm({ pieceDelayMs = 300 } = {}) {
  const server = createServer(async (req, res) => {
    if (req.method !== 'POST' || !req.url.endsWith('/chat/completions')) {
      res.writeHead(404).end();
      return;
    }
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = JSON.parse(raw);
    const last = [...body.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    const hasPassage = body.messages.some((m) => typeof m.content === 'string' && m.content.includes('[P1]'));
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const send = (delta, finish = null) =>
      res.write(`data: ${JSON.stringify({ id: 'chatcmpl-e2e', object: 'chat.completion.chunk', model: body.model,
        choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
    if (/return/i.test(last) && hasPassage) {
      send({ role: 'assistant', content: '' });
      for (const piece of ANSWER) {
        await sleep(pieceDelayMs);
        send({ content: piece });
      }
      send({}, 'stop');
    } else {
      send({ role: 'assistant', tool_calls: [{ index: 0, id: 'call_1', type: 'function',
        function: { name: 'insufficient_context', arguments: '' } }] });
      send({ tool_calls: [{ index: 0, function: { arguments: '{"reason":"not in the knowledge"}' } }] });
      send({}, 'tool_calls');
    }
    res.end('data: [DONE]\n\n');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
