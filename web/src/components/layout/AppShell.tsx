import * as D from "@radix-ui/react-dialog";
import * as Menu from "@radix-ui/react-dropdown-menu";
import { useQueryClient } from "@tanstack/react-query";
import { KeyRound, LogOut, Menu as MenuIcon, PhoneCall, UserRound, X } from "lucide-react";
import { Suspense, useState } from "react";
import { NavLink, Outlet, useNavigate } from "react-router-dom";
import { Button } from "@/components/ui/button";
import { PageFallback } from "@/components/PageState";
import { api } from "@/lib/api";
import { clearSession, useSession } from "@/lib/session";
import { cn } from "@/lib/utils";
import type { NavItem } from "./nav";
import { LiveUpdates } from "./LiveUpdates";
import { ThemeToggle } from "./ThemeToggle";

function Brand() {
  return (
    <div className="flex items-center gap-2 px-2 font-semibold">
      <span className="grid size-7 place-items-center rounded-lg bg-primary text-primary-foreground">
        <PhoneCall className="size-4" aria-hidden />
      </span>
      Switchboard
    </div>
  );
}

function NavList({ items, onNavigate }: { items: NavItem[]; onNavigate?: () => void }) {
  return (
    <nav aria-label="Main" className="grid gap-0.5">
      {items.map(({ to, label, icon: Icon }) => (
        <NavLink
          key={to}
          to={to}
          end={to === "/" || to === "/agent"}
          onClick={onNavigate}
          className={({ isActive }) =>
            cn(
              "flex items-center gap-2.5 rounded-md px-2.5 py-2 text-sm font-medium text-muted-foreground transition-colors hover:bg-accent hover:text-accent-foreground",
              isActive && "bg-accent text-accent-foreground",
            )
          }
        >
          <Icon className="size-4 shrink-0" aria-hidden />
          {label}
        </NavLink>
      ))}
    </nav>
  );
}

function UserMenu() {
  const session = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  if (!session) return null;
  const signOut = async () => {
    try {
      await api.post("/api/auth/logout");
    } catch {
      // The session ends in this browser whatever the server says.
    }
    clearSession();
    queryClient.clear();
    navigate("/login", { replace: true });
  };
  return (
    <Menu.Root>
      <Menu.Trigger asChild>
        <Button variant="ghost" className="gap-2 px-2" aria-label={`Account menu for ${session.user.name}`}>
          <span className="grid size-7 place-items-center rounded-full bg-secondary text-secondary-foreground">
            <UserRound className="size-4" aria-hidden />
          </span>
          <span className="hidden max-w-40 truncate text-sm sm:inline">{session.user.name}</span>
        </Button>
      </Menu.Trigger>
      <Menu.Portal>
        <Menu.Content
          align="end"
          sideOffset={6}
          className="z-50 min-w-52 rounded-lg border bg-card p-1 text-card-foreground shadow-lg"
        >
          <div className="px-2 py-1.5 text-xs text-muted-foreground">
            <div className="font-medium text-foreground">{session.user.email}</div>
            {session.user.role === "company_admin" ? "Administrator" : "Agent"}
          </div>
          <Menu.Separator className="my-1 h-px bg-border" />
          <Menu.Item
            onSelect={() => navigate("/change-password")}
            className="flex cursor-pointer items-center gap-2 rounded-md px-2 py-1.5 text-sm outline-none data-[highlighted]:bg-accent"
          >
            <KeyRound className="size-4" aria-hidden /> Change password
          </Menu.Item>
          <Menu.Item
            onSelect={() => void signOut()}
            className="flex cursor-pointer items-center gap-2 rounded-md px-2 py-1.5 text-sm outline-none data-[highlighted]:bg-accent"
          >
            <LogOut className="size-4" aria-hidden /> Sign out
          </Menu.Item>
        </Menu.Content>
      </Menu.Portal>
    </Menu.Root>
  );
}

/** Sidebar on wide screens; at phone width a menu button opens it as a drawer. */
export function AppShell({ nav }: { nav: NavItem[] }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="min-h-dvh md:grid md:grid-cols-[15rem_1fr]">
      <aside className="sticky top-0 hidden h-dvh flex-col gap-4 border-r bg-card/50 p-3 md:flex">
        <div className="py-2">
          <Brand />
        </div>
        <div className="overflow-y-auto">
          <NavList items={nav} />
        </div>
      </aside>
      <div className="flex min-w-0 flex-col">
        <header className="sticky top-0 z-30 flex h-14 items-center gap-2 border-b bg-background/90 px-3 backdrop-blur sm:px-5">
          <D.Root open={open} onOpenChange={setOpen}>
            <D.Trigger asChild>
              <Button variant="ghost" size="icon" className="md:hidden" aria-label="Open the menu">
                <MenuIcon />
              </Button>
            </D.Trigger>
            <D.Portal>
              <D.Overlay className="fixed inset-0 z-40 bg-black/50 md:hidden" />
              <D.Content className="fixed inset-y-0 left-0 z-50 flex w-72 max-w-[85vw] flex-col gap-4 border-r bg-card p-3 shadow-xl md:hidden">
                <div className="flex items-center justify-between py-1">
                  <D.Title asChild>
                    <div>
                      <Brand />
                    </div>
                  </D.Title>
                  <D.Close asChild>
                    <Button variant="ghost" size="icon" aria-label="Close the menu">
                      <X />
                    </Button>
                  </D.Close>
                </div>
                <D.Description className="sr-only">Pages of the dashboard</D.Description>
                <div className="overflow-y-auto">
                  <NavList items={nav} onNavigate={() => setOpen(false)} />
                </div>
              </D.Content>
            </D.Portal>
          </D.Root>
          <div className="md:hidden">
            <Brand />
          </div>
          <div className="ml-auto flex items-center gap-1">
            <LiveUpdates />
            <ThemeToggle />
            <UserMenu />
          </div>
        </header>
        <main className="mx-auto w-full max-w-7xl flex-1 p-4 sm:p-6">
          <Suspense fallback={<PageFallback />}>
            <Outlet />
          </Suspense>
        </main>
      </div>
    </div>
  );
}
