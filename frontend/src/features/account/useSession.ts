import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { fetchSession, type AccountUser, type AuthOutcome } from "../../api/account";
import { onSessionEnded } from "../../api/client";

export const sessionKey = ["session"] as const;

export interface SessionState {
  signedIn: boolean;
  /** Still asking the server (a page that needs a signed-in person waits for this). */
  pending: boolean;
  user: AccountUser | null;
}

/** Who is signed in, from allauth's session endpoint; asked once per page load, then kept
 * up to date by the sign-in/out hooks (and by any 401 from our API). */
export function useSession(): SessionState {
  const client = useQueryClient();
  const query = useQuery({
    queryKey: sessionKey,
    queryFn: fetchSession,
    staleTime: Infinity,
    retry: 1,
  });
  useEffect(
    () =>
      onSessionEnded(() => {
        client.setQueryData<AuthOutcome>(sessionKey, { status: "signedOut" });
      }),
    [client],
  );
  const user = query.data?.status === "signedIn" ? query.data.user : null;
  return { signedIn: user !== null, pending: query.isPending, user };
}
