import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";
import { signInPath } from "./accountFlows";
import { useSession } from "./useSession";

/** Pages for signed-in people send everyone else to sign in, and back afterwards. */
export function RequireSignIn({ children }: { children: ReactNode }) {
  const { signedIn } = useSession();
  const location = useLocation();
  if (!signedIn) return <Navigate to={signInPath(location.pathname + location.search)} replace />;
  return children;
}
