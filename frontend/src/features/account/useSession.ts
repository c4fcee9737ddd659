import { useSyncExternalStore } from "react";
import { isSignedIn, subscribe } from "../../api/session";

/** Whether someone is signed in; re-renders on sign-in and sign-out. */
export function useSession(): { signedIn: boolean } {
  const signedIn = useSyncExternalStore(subscribe, isSignedIn, () => false);
  return { signedIn };
}
