import { createBrowserRouter, Navigate, useLocation } from "react-router";
import { accountPaths } from "../features/account/accountFlows";
import { ForgotPasswordPage } from "../features/account/ForgotPasswordPage";
import { RegisterPage } from "../features/account/RegisterPage";
import { RequireSignIn } from "../features/account/RequireSignIn";
import { ResetPasswordPage } from "../features/account/ResetPasswordPage";
import { SignInPage } from "../features/account/SignInPage";
import { VerifyEmailPage } from "../features/account/VerifyEmailPage";
import { AppointmentPage } from "../features/appointments/AppointmentPage";
import { MyAppointmentsPage } from "../features/appointments/MyAppointmentsPage";
import { ProfilePage } from "../features/profile/ProfilePage";
import { HomePage } from "../features/salons/HomePage";
import { SalonPage } from "../features/salons/SalonPage";
import { Layout, NotFoundPage } from "./Layout";

export const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { index: true, element: <HomePage /> },
      { path: "salons/:salonId", element: <SalonPage /> },
      { path: accountPaths.signIn, element: <SignInPage /> },
      { path: accountPaths.register, element: <RegisterPage /> },
      { path: accountPaths.registerAlias, element: <ToRegister /> },
      { path: accountPaths.verifyEmail, element: <VerifyEmailPage /> },
      { path: accountPaths.forgotPassword, element: <ForgotPasswordPage /> },
      { path: accountPaths.resetPassword, element: <ResetPasswordPage /> },
      {
        path: accountPaths.profile,
        element: (
          <RequireSignIn>
            <ProfilePage />
          </RequireSignIn>
        ),
      },
      {
        path: "appointments",
        element: (
          <RequireSignIn>
            <MyAppointmentsPage />
          </RequireSignIn>
        ),
      },
      {
        path: "appointments/:appointmentId",
        element: (
          <RequireSignIn>
            <AppointmentPage />
          </RequireSignIn>
        ),
      },
      // Salon management is its own chunk: customers never download it.
      {
        path: "manage/*",
        lazy: () =>
          import("../features/manage/routes").then((m) => ({ Component: m.ManageRoutes })),
      },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
]);

/** The sign-up page's old path, its ?next= kept. */
function ToRegister() {
  const { search } = useLocation();
  return <Navigate to={accountPaths.register + search} replace />;
}
