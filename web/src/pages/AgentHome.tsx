import { PageHeader } from "@/components/PageState";
import { Approvals } from "@/pages/agent/Approvals";
import { StatusCard } from "@/pages/agent/StatusCard";

export default function AgentHome() {
  return (
    <div className="grid gap-4">
      <PageHeader title="My work" description="Your availability and the requests waiting for your decision. New ones appear as they arrive." />
      <StatusCard />
      <Approvals />
    </div>
  );
}
