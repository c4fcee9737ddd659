import { useState, type SubmitEvent } from "react";
import { fieldErrors } from "../../api/errors";
import { Field } from "../../components/Field";
import { ErrorNotice, StatusNotice } from "../../components/Notice";
import { t } from "../../i18n";
import { useChangeEmail, useChangePassword, useEmailAddresses } from "./auth";
import { useSession } from "./useSession";

/** The profile's sign-in and security part: the e-mail address and the password. */
export function AccountSettings() {
  return (
    <section aria-labelledby="security-heading">
      <h2 id="security-heading">{t("account.security")}</h2>
      <ChangeEmail />
      <ChangePassword />
    </section>
  );
}

/** A new address gets a link; it replaces the current one once followed (shown pending). */
function ChangeEmail() {
  const { user } = useSession();
  const addresses = useEmailAddresses(user !== null);
  const change = useChangeEmail();
  const [email, setEmail] = useState("");
  const current = addresses.data?.find((a) => a.primary)?.email ?? user?.email ?? "";
  const pending = addresses.data?.filter((a) => !a.verified && !a.primary) ?? [];

  function submit(event: SubmitEvent) {
    event.preventDefault();
    change.mutate(email, {
      onSuccess: () => {
        setEmail("");
      },
    });
  }
  return (
    <form onSubmit={submit} noValidate aria-label={t("account.changeEmail")}>
      <p>{t("account.currentEmail", { email: current })}</p>
      {pending.map((address) => (
        <p key={address.email} className="notice notice-ok">
          {t("account.pendingEmail", { email: address.email })}
        </p>
      ))}
      <Field
        label={t("account.newEmail")}
        type="email"
        autoComplete="email"
        required
        value={email}
        error={fieldErrors(change.error).email}
        onChange={(e) => {
          setEmail(e.target.value);
        }}
      />
      <ErrorNotice error={change.error} />
      <button type="submit" disabled={change.isPending}>
        {t("account.changeEmail")}
      </button>
    </form>
  );
}

function ChangePassword() {
  const change = useChangePassword();
  const [form, setForm] = useState({ current_password: "", new_password: "" });
  const errors = fieldErrors(change.error);

  function submit(event: SubmitEvent) {
    event.preventDefault();
    change.mutate(form, {
      onSuccess: () => {
        setForm({ current_password: "", new_password: "" });
      },
    });
  }
  return (
    <form onSubmit={submit} noValidate aria-labelledby="password-heading">
      <h3 id="password-heading">{t("account.changePasswordHeading")}</h3>
      <Field
        label={t("account.currentPassword")}
        type="password"
        autoComplete="current-password"
        required
        value={form.current_password}
        error={errors.current_password}
        onChange={(e) => {
          setForm({ ...form, current_password: e.target.value });
        }}
      />
      <Field
        label={t("account.newPassword")}
        type="password"
        autoComplete="new-password"
        required
        hint={t("account.passwordHint")}
        value={form.new_password}
        error={errors.new_password}
        onChange={(e) => {
          setForm({ ...form, new_password: e.target.value });
        }}
      />
      <ErrorNotice error={change.error} />
      {change.isSuccess && <StatusNotice>{t("account.passwordChanged")}</StatusNotice>}
      <button type="submit" disabled={change.isPending}>
        {t("account.changePassword")}
      </button>
    </form>
  );
}
