// Light and dark: "system" follows prefers-color-scheme; the header toggle pins one.
// The choice is a class on <html> (index.html sets it before the first paint).
import { useEffect, useSyncExternalStore } from "react";

export type ThemeChoice = "light" | "dark" | "system";
const KEY = "switchboard.theme";
const listeners = new Set<() => void>();

export function themeChoice(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === "light" || v === "dark" ? v : "system";
  } catch {
    return "system";
  }
}

function systemDark(): boolean {
  return typeof matchMedia === "function" && matchMedia("(prefers-color-scheme: dark)").matches;
}

export function resolvedDark(choice: ThemeChoice = themeChoice()): boolean {
  return choice === "dark" || (choice === "system" && systemDark());
}

export function applyTheme() {
  document.documentElement.classList.toggle("dark", resolvedDark());
}

export function setThemeChoice(choice: ThemeChoice) {
  try {
    if (choice === "system") localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, choice);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  applyTheme();
  for (const l of listeners) l();
}

function subscribe(l: () => void) {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** The current choice and whether the page is dark; follows system changes while on "system". */
export function useTheme() {
  const choice = useSyncExternalStore(subscribe, themeChoice, () => "system" as ThemeChoice);
  useEffect(() => {
    if (typeof matchMedia !== "function") return;
    const mq = matchMedia("(prefers-color-scheme: dark)");
    const onChange = () => {
      applyTheme();
      for (const l of listeners) l();
    };
    mq.addEventListener("change", onChange);
    return () => mq.removeEventListener("change", onChange);
  }, []);
  return { choice, dark: resolvedDark(choice), setChoice: setThemeChoice };
}
