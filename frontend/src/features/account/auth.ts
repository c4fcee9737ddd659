// Sign-in, registration and sign-out against the API's JWT endpoints.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { clearTokens, getRefreshToken, setTokens } from "../../api/session";
import type { RegisterInput } from "../../api/types";

export interface Credentials {
  email: string;
  password: string;
}

export async function signIn(credentials: Credentials): Promise<void> {
  const tokens = await unwrap(api.POST("/api/v1/auth/token", { body: credentials }));
  setTokens(tokens.access, tokens.refresh);
}

export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: signIn,
    onSuccess: () => client.invalidateQueries(),
  });
}

export function useRegister() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (input: RegisterInput) => {
      await unwrap(api.POST("/api/v1/auth/register", { body: input }));
      await signIn({ email: input.email, password: input.password });
    },
    onSuccess: () => client.invalidateQueries(),
  });
}

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const refresh = getRefreshToken();
      // The server blacklists the refresh token; signing out locally happens regardless.
      if (refresh !== null) {
        await unwrap(api.POST("/api/v1/auth/logout", { body: { refresh } })).catch(() => undefined);
      }
    },
    onSettled: () => {
      clearTokens();
      client.clear();
    },
  });
}

/** Only same-site paths may be a post-sign-in destination (no open redirect). */
export function safeNext(next: string | null): string {
  return next !== null && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}
