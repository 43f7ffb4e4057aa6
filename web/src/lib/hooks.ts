import { useQuery } from "@tanstack/react-query";
import { api } from "./api";
import type { ConfigView } from "./types";

export function useConfig() {
  return useQuery({ queryKey: ["config"], queryFn: ({ signal }) => api.get<ConfigView>("/api/admin/config", undefined, signal) });
}
