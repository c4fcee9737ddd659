// The account flows as TanStack Query mutations over allauth's browser client; each one that
// changes who is signed in updates the session query, so every page follows at once.
import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import * as account from "../../api/account";
import type { AuthOutcome, Credentials, SignUpInput } from "../../api/account";
import { sessionKey } from "./useSession";

export type { Credentials };

const emailsKey = ["account", "emails"] as const;

/** Keep the new session; everything else cached belonged to the previous person. */
function settleSession(client: QueryClient, outcome: AuthOutcome): AuthOutcome {
  client.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionKey[0] });
  client.setQueryData(sessionKey, outcome);
  return outcome;
}

export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: account.signIn,
    onSuccess: (outcome) => settleSession(client, outcome),
  });
}

export function useSignUp() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: SignUpInput) => account.signUp(input),
    onSuccess: (outcome) => settleSession(client, outcome),
  });
}

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: account.signOut,
    // Signed out here even if the server could not be told (it forgets the session anyway).
    onSettled: () => settleSession(client, { status: "signedOut" }),
  });
}

export function useVerifyEmail() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: account.verifyEmail,
    onSuccess: (outcome) => {
      // Signed in by the link, or (already signed in) a changed address now confirmed.
      if (outcome.status === "signedIn") settleSession(client, outcome);
    },
  });
}

export function useRequestPasswordReset() {
  return useMutation({ mutationFn: account.requestPasswordReset });
}

export function useResetKeyCheck(key: string) {
  return useQuery({
    queryKey: ["account", "reset-key", key],
    queryFn: () => account.checkResetKey(key).then(() => true),
    retry: false,
    staleTime: Infinity,
  });
}

export function useResetPassword(key: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (password: string) => account.resetPassword(key, password),
    onSuccess: (outcome) => settleSession(client, outcome),
  });
}

export function useChangePassword() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: account.changePassword,
    onSuccess: () => client.invalidateQueries({ queryKey: sessionKey }),
  });
}

export function useEmailAddresses(enabled: boolean) {
  return useQuery({ queryKey: emailsKey, queryFn: account.emailAddresses, enabled });
}

export function useChangeEmail() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: account.changeEmail,
    onSuccess: (addresses) => {
      client.setQueryData(emailsKey, addresses);
    },
  });
}

/** Only same-site paths may be a post-sign-in destination (no open redirect). */
export function safeNext(next: string | null): string {
  return next !== null && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}
