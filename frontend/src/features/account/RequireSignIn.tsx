import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";
import { Loading } from "../../components/Notice";
import { signInPath } from "./accountFlows";
import { useSession } from "./useSession";

/** Pages for signed-in people send everyone else to sign in, and back afterwards. */
export function RequireSignIn({ children }: { children: ReactNode }) {
  const { signedIn, pending } = useSession();
  const location = useLocation();
  if (pending) return <Loading />;
  if (!signedIn) return <Navigate to={signInPath(location.pathname + location.search)} replace />;
  return children;
}
