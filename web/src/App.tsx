import { QueryClientProvider } from "@tanstack/react-query";
import { lazy, Suspense, type ReactNode } from "react";
import { BrowserRouter, Navigate, Route, Routes, useLocation } from "react-router-dom";
import { AppShell } from "@/components/layout/AppShell";
import { adminNav, agentNav } from "@/components/layout/nav";
import { PageFallback } from "@/components/PageState";
import { ToastProvider } from "@/components/ui/toast";
import { queryClient } from "@/lib/query";
import { homeFor, useSession } from "@/lib/session";
import type { Role } from "@/lib/types";

// Every page is its own chunk, so the first load carries only the shell.
const Login = lazy(() => import("@/pages/Login"));
const Register = lazy(() => import("@/pages/Register"));
const ChangePassword = lazy(() => import("@/pages/ChangePassword"));
const Dashboard = lazy(() => import("@/pages/Dashboard"));
const Agents = lazy(() => import("@/pages/Agents"));
const AiConfig = lazy(() => import("@/pages/AiConfig"));
const Knowledge = lazy(() => import("@/pages/Knowledge"));
const Faqs = lazy(() => import("@/pages/Faqs"));
const Classification = lazy(() => import("@/pages/Classification"));
const Tools = lazy(() => import("@/pages/Tools"));
const Workflows = lazy(() => import("@/pages/Workflows"));
const Queue = lazy(() => import("@/pages/Queue"));
const Conversations = lazy(() => import("@/pages/Conversations"));
const ConversationDetail = lazy(() => import("@/pages/conversations/ConversationDetail"));
const AgentConversations = lazy(() => import("@/pages/agent/AgentConversations"));
const AgentPerformance = lazy(() => import("@/pages/agent/AgentPerformance"));
const Performance = lazy(() => import("@/pages/Performance"));
const Settings = lazy(() => import("@/pages/Settings"));
const AgentHome = lazy(() => import("@/pages/AgentHome"));
const NotFound = lazy(() => import("@/pages/NotFound"));

/** Signed in (else the login page, coming back here after), password changed, right role. */
function RequireSession({ role, children }: { role?: Role; children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (!session) {
    const next = location.pathname + location.search;
    return <Navigate to={next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (session.mustChangePassword && location.pathname !== "/change-password") {
    return <Navigate to="/change-password" replace />;
  }
  if (role && session.user.role !== role) return <Navigate to={homeFor(session.user.role)} replace />;
  return <>{children}</>;
}

function PublicOnly({ children }: { children: ReactNode }) {
  const session = useSession();
  if (session) return <Navigate to={session.mustChangePassword ? "/change-password" : homeFor(session.user.role)} replace />;
  return <>{children}</>;
}

export function AppRoutes() {
  return (
    <Suspense fallback={<div className="p-6"><PageFallback /></div>}>
      <Routes>
        <Route path="/login" element={<PublicOnly><Login /></PublicOnly>} />
        <Route path="/register" element={<PublicOnly><Register /></PublicOnly>} />
        <Route path="/change-password" element={<RequireSession><ChangePassword /></RequireSession>} />
        <Route element={<RequireSession role="company_admin"><AppShell nav={adminNav} /></RequireSession>}>
          <Route index element={<Dashboard />} />
          <Route path="agents" element={<Agents />} />
          <Route path="ai-config" element={<AiConfig />} />
          <Route path="knowledge" element={<Knowledge />} />
          <Route path="faqs" element={<Faqs />} />
          <Route path="classification" element={<Classification />} />
          <Route path="tools" element={<Tools />} />
          <Route path="workflows" element={<Workflows />} />
          <Route path="queue" element={<Queue />} />
          <Route path="conversations" element={<Conversations />} />
          <Route path="conversations/:conversationId" element={<ConversationDetail />} />
          <Route path="performance" element={<Performance />} />
          <Route path="settings" element={<Settings />} />
        </Route>
        <Route element={<RequireSession role="company_agent"><AppShell nav={agentNav} /></RequireSession>}>
          <Route path="agent" element={<AgentHome />} />
          <Route path="agent/conversations" element={<AgentConversations />} />
          <Route path="agent/performance" element={<AgentPerformance />} />
        </Route>
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Suspense>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <BrowserRouter>
          <AppRoutes />
        </BrowserRouter>
      </ToastProvider>
    </QueryClientProvider>
  );
}
