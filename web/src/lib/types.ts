// Shapes of the API's payloads (see shared/spec/api.md and /api/openapi.json).

export type Role = "company_admin" | "company_agent" | "customer";
export type AgentStatus = "online" | "offline" | "busy" | "away";

export interface UserView {
  id: string;
  name: string;
  email: string;
  role: Role;
  companyId: string;
  mustChangePassword: boolean;
}

export interface AuthResponse {
  token: string;
  user: UserView;
  companyId: string;
  mustChangePassword: boolean;
}

export interface AgentView {
  id: string;
  name: string;
  email: string;
  status: AgentStatus;
  accountStatus: "active" | "deactivated";
  skills: string[];
  capacity: number;
  openItems: number;
  lastSeenAt?: string | null;
  mustChangePassword: boolean;
  createdAt: string;
}

export interface CreatedAgent extends AgentView {
  /** `signInPath`: the login page with the company and email filled in (`/login?company=…&email=…`). */
  credentials: { email: string; temporaryPassword: string; signInPath?: string };
}

export interface PasswordReset {
  temporaryPassword: string;
  signInPath?: string;
}

export interface AgentPresenceView {
  agentId: string;
  name: string;
  status: AgentStatus;
  lastSeenAt?: string | null;
  openItems: number;
}

export interface DurationStats {
  count: number;
  mean?: number | null;
  median?: number | null;
  p90?: number | null;
}

export interface Metrics {
  from: string;
  to: string;
  conversations: { started: number; aiOnly: number; handedOff: number; closed: number };
  firstResponseSeconds: DurationStats;
  humanFirstResponseSeconds: DurationStats;
  resolutionSeconds: DurationStats;
  approvals: {
    created: number;
    approved: number;
    rejected: number;
    escalated: number;
    medianDecisionSeconds?: number | null;
  };
  csat: { count: number; mean?: number | null; positiveShare?: number | null };
  aiResolutionRate?: number | null;
  handoffRate?: number | null;
}

export interface CompanyMetrics extends Metrics {
  daily: { date: string; started: number; closed: number; handedOff: number; csatMean?: number | null }[];
  byCategory: Record<string, number>;
  byPriority: Record<string, number>;
  bySentiment: Record<string, number>;
}

export interface StatusView {
  status: AgentStatus;
  lastSeenAt?: string | null;
  openItems: number;
}

export interface ApprovalView {
  id: string;
  conversationId: string;
  summary: string;
  proposedAction: { tool?: string; arguments?: unknown; workflowStep?: unknown } & Record<string, unknown>;
  priority: string;
  urgency: string;
  reasons: Record<string, unknown>;
  status: "pending" | "approved" | "rejected" | "escalated" | string;
  escalated: boolean;
  escalationNote?: string | null;
  agentId?: string | null;
  assignmentReasons: Record<string, unknown>;
  decidedBy?: string | null;
  decisionNote?: string | null;
  outcome?: Record<string, unknown> | null;
  createdAt: string;
  updatedAt: string;
  decidedAt?: string | null;
}

export interface ConfigView {
  agentName: string;
  agentPersona: string;
  brandingName: string;
  brandingLogo?: string | null;
  brandingPrimaryColor: string;
  greetingMessage: string;
  allowedOrigins: string[];
  identityRequired: boolean;
  identitySecretSet: boolean;
  ai: Record<string, unknown>;
  updatedAt: string;
}

export interface DocumentView {
  id: string;
  title: string;
  format: string;
  sourceName?: string | null;
  status: "processing" | "ready" | "failed";
  error?: string | null;
  chunkCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface FaqView {
  id: string;
  question: string;
  answer: string;
  variants: string[];
  category?: string | null;
  tags: string[];
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ExampleView {
  id: string;
  text: string;
  label: string;
  createdAt: string;
  updatedAt: string;
}

export interface ToolView {
  id: string;
  name: string;
  description: string;
  type: "webhook" | "function";
  parameters: Record<string, unknown>;
  config: Record<string, unknown>;
  requiresApproval: boolean;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface WorkflowView {
  id: string;
  name: string;
  description: string;
  trigger: { type: string } & Record<string, unknown>;
  steps: ({ type: string } & Record<string, unknown>)[];
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ConversationView {
  id: string;
  customerId?: string | null;
  status: string;
  assignedAgentId?: string | null;
  category?: string | null;
  priority: string;
  urgency: string;
  sentiment?: string | null;
  classification: Record<string, unknown>;
  resolution?: string | null;
  createdAt: string;
  updatedAt: string;
  handedOffAt?: string | null;
  closedAt?: string | null;
}

export interface AuditEntryView {
  id: string;
  action: string;
  actorId?: string | null;
  targetId?: string | null;
  clientAddr?: string | null;
  details: unknown;
  createdAt: string;
}

export interface CitationView {
  documentId: string;
  title: string;
  excerpt: string;
}

export interface MessageView {
  id: string;
  conversationId: string;
  sender: "customer" | "ai" | "agent" | "system" | string;
  content: string;
  citations: CitationView[];
  createdAt: string;
}

export interface ConversationDetail extends ConversationView {
  messages: MessageView[];
}

/** One verdict of the classifier: a label or level, how sure (0–1), and why. */
export interface VerdictView {
  label?: string;
  level?: string;
  score: number;
  reasons: string[];
}

/** `ConversationView.classification` as the server writes it (absent before the first message). */
export interface ClassificationView {
  category?: VerdictView;
  priority?: VerdictView;
  urgency?: VerdictView;
  sentiment?: VerdictView;
  outOfScope?: boolean;
  neighbours?: { text: string; label: string; similarity: number }[];
}
