import { useParams } from "react-router";
import { useSalon } from "../../api/queries";
import type { SalonDetail } from "../../api/types";
import { ErrorNotice, Loading } from "../../components/Notice";
import { usePageTitle } from "../../components/usePageTitle";
import { t } from "../../i18n";
import { formatPrice } from "../../lib/money";
import { BookingPanel } from "../booking/BookingPanel";
import { BookingPolicy } from "./BookingPolicy";
import { OpeningHours } from "./OpeningHours";

/** A salon: where it is, what it offers, who works there, and booking. */
export function SalonPage() {
  const { salonId = "" } = useParams();
  const salon = useSalon(salonId);
  usePageTitle(salon.data?.name);
  if (salon.isPending) return <Loading />;
  if (salon.isError) return <ErrorNotice error={salon.error} />;
  return (
    <>
      <h1>{salon.data.name}</h1>
      {salon.data.description && <p>{salon.data.description}</p>}
      <div className="salon-layout">
        <SalonFacts salon={salon.data} />
        <BookingPanel salon={salon.data} />
      </div>
    </>
  );
}

function SalonFacts({ salon }: { salon: SalonDetail }) {
  const { address } = salon;
  return (
    <div className="salon-facts">
      <section aria-labelledby="address-heading">
        <h2 id="address-heading">{t("salon.address")}</h2>
        <address>
          {address.line1}
          {address.line2 && <>, {address.line2}</>}
          <br />
          {[address.postal_code, address.city].filter(Boolean).join(" ")}, {address.country}
          {salon.phone && (
            <>
              <br />
              {t("salon.phone")}: <a href={`tel:${salon.phone}`}>{salon.phone}</a>
            </>
          )}
        </address>
      </section>
      <OpeningHours salon={salon} />
      <section aria-labelledby="services-heading">
        <h2 id="services-heading">{t("salon.services")}</h2>
        <ul className="plain">
          {salon.services.map((service) => (
            <li key={service.id}>
              <strong>{service.name}</strong> ·{" "}
              {t("salon.minutes", { minutes: service.duration_minutes })} ·{" "}
              {formatPrice(service.price, service.currency)}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="staff-heading">
        <h2 id="staff-heading">{t("salon.staff")}</h2>
        <ul className="plain">
          {salon.staff.map((member) => (
            <li key={member.id}>{member.name}</li>
          ))}
        </ul>
      </section>
      <BookingPolicy salon={salon} />
    </div>
  );
}
