import { useParams } from "react-router";
import { ErrorNotice, Loading } from "../../components/Notice";
import { usePageTitle } from "../../components/usePageTitle";
import { t } from "../../i18n";
import { AvailabilityPreview } from "./AvailabilityPreview";
import { ClosuresEditor } from "./ClosuresEditor";
import { OpeningHoursSection } from "./OpeningHoursSection";
import { PolicyForm, SalonDetailsForm } from "./SalonForms";
import { ServicesEditor } from "./ServicesEditor";
import { StaffEditor } from "./StaffEditor";
import { useManagedSalon, useManagedSalons } from "./queries";

/** Everything that shapes the salon's free times, beside a live preview of them. */
export function SettingsPage() {
  usePageTitle(t("manage.settings"));
  const { salonId = "" } = useParams();
  const salon = useManagedSalon(salonId);
  const role = useManagedSalons().data?.find((s) => s.id === salonId)?.role;
  if (salon.isPending) return <Loading />;
  if (salon.isError) return <ErrorNotice error={salon.error} />;
  return (
    <>
      <h1>
        {t("manage.settings")}: {salon.data.name}
      </h1>
      {role !== undefined && role !== "owner" && <p className="notice">{t("manage.ownersOnly")}</p>}
      <div className="settings-layout">
        <div className="settings-main">
          <SalonDetailsForm salon={salon.data} />
          <PolicyForm salonId={salonId} />
          <OpeningHoursSection salonId={salonId} />
          <ClosuresEditor salonId={salonId} />
          <ServicesEditor salonId={salonId} />
          <StaffEditor salonId={salonId} timezone={salon.data.timezone} />
        </div>
        <AvailabilityPreview salonId={salonId} timezone={salon.data.timezone} />
      </div>
    </>
  );
}
