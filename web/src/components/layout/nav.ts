import {
  Bot,
  BookOpen,
  ChartLine,
  GitBranch,
  Inbox,
  LayoutDashboard,
  ListChecks,
  MessageSquareText,
  MessagesSquare,
  Settings,
  Tags,
  Users,
  Wrench,
  type LucideIcon,
} from "lucide-react";

export interface NavItem {
  to: string;
  label: string;
  icon: LucideIcon;
}

export const adminNav: NavItem[] = [
  { to: "/", label: "Dashboard", icon: LayoutDashboard },
  { to: "/agents", label: "Agents", icon: Users },
  { to: "/ai-config", label: "AI Configuration", icon: Bot },
  { to: "/knowledge", label: "Knowledge Base", icon: BookOpen },
  { to: "/faqs", label: "FAQs", icon: MessageSquareText },
  { to: "/classification", label: "Classification", icon: Tags },
  { to: "/tools", label: "Tools", icon: Wrench },
  { to: "/workflows", label: "Workflows", icon: GitBranch },
  { to: "/queue", label: "Queue", icon: ListChecks },
  { to: "/conversations", label: "Conversations", icon: MessagesSquare },
  { to: "/performance", label: "Performance", icon: ChartLine },
  { to: "/settings", label: "Settings", icon: Settings },
];

export const agentNav: NavItem[] = [
  { to: "/agent", label: "My work", icon: Inbox },
  { to: "/agent/conversations", label: "Conversations", icon: MessagesSquare },
  { to: "/agent/performance", label: "My performance", icon: ChartLine },
];
