// A salon as the public API describes it, for component tests; override what a test is about.
import type { SalonDetail } from "../api/types";

export function salonDetail(overrides: Partial<SalonDetail> = {}): SalonDetail {
  return {
    id: "s1",
    name: "Salon One",
    slug: "salon-one",
    description: "",
    phone: "+4930123456",
    timezone: "Europe/Berlin",
    address: {
      line1: "1 Main St",
      line2: "",
      city: "Berlin",
      region: "",
      postal_code: "10115",
      country: "DE",
      latitude: null,
      longitude: null,
    },
    services: [],
    staff: [],
    opening_hours: [],
    closures: [],
    policy: { min_notice_minutes: 120, horizon_days: 60, cancellation_cutoff_minutes: 1440 },
    ...overrides,
  };
}
