import { defineConfig } from "vite";

// The embeddable chat widget: one self-contained IIFE, dist/widget.js, built after the
// dashboard (whose build empties dist/ first). Its CSS is imported with `?inline` and put
// into the widget's shadow root, so no stylesheet is emitted and the host page's styles
// never reach it. No React: plain DOM code keeps it far under the 40 KB gzipped budget.
export default defineConfig({
  publicDir: false,
  build: {
    outDir: "dist",
    emptyOutDir: false,
    sourcemap: false,
    target: "es2020",
    cssCodeSplit: false,
    // Library mode with an IIFE already writes a single file (no code splitting).
    lib: {
      entry: "src/widget/main.ts",
      formats: ["iife"],
      name: "SwitchboardWidget",
      fileName: () => "widget.js",
    },
  },
});
