import { fileURLToPath, URL } from "node:url";
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// The dev server proxies the API to a locally running `switchboard serve` (default port 8080;
// override with SWITCHBOARD_API=http://127.0.0.1:18080 npm run dev).
const api = process.env.SWITCHBOARD_API ?? "http://127.0.0.1:8080";

export default defineConfig({
  plugins: [react(), tailwindcss()],
  resolve: {
    alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) },
  },
  server: {
    proxy: {
      "/api": { target: api, ws: true, changeOrigin: false },
    },
  },
  build: {
    outDir: "dist",
    assetsDir: "assets",
    emptyOutDir: true,
    sourcemap: false,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
    restoreMocks: true,
    // Page tests render whole pages in jsdom and run axe over them: seconds each on a busy
    // 2-core machine, where the default 5 s failed one that takes 1.5 s when idle.
    testTimeout: 30_000,
  },
});
