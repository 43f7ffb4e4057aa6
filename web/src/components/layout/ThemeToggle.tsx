import { Monitor, Moon, Sun } from "lucide-react";
import { Button } from "@/components/ui/button";
import { useTheme, type ThemeChoice } from "@/lib/theme";

const order: ThemeChoice[] = ["system", "light", "dark"];
const labels: Record<ThemeChoice, string> = {
  system: "Theme: follows the system",
  light: "Theme: light",
  dark: "Theme: dark",
};

/** Cycles system → light → dark. */
export function ThemeToggle() {
  const { choice, setChoice } = useTheme();
  const next = order[(order.indexOf(choice) + 1) % order.length];
  const Icon = choice === "system" ? Monitor : choice === "dark" ? Moon : Sun;
  return (
    <Button
      variant="ghost"
      size="icon"
      onClick={() => setChoice(next)}
      title={`${labels[choice]} (click for ${next})`}
      aria-label={`${labels[choice]}; switch to ${next}`}
    >
      <Icon />
    </Button>
  );
}
