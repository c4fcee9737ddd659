import { expect, type APIRequestContext } from "@playwright/test";
import { OWNER, apiToken, newCustomer, ownedSalons } from "./helpers";

/** A booking made as the run begins, in a slot that starts two minutes later. */
export interface SoonBooking {
  salonId: string;
  staffName: string; // a staff member new in this run: the schedule shows them on their own
  start: string;
}

const VARIABLE = "E2E_SOON_BOOKING";
const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
// Five hours apart: whenever it is past 21:00 in one, it is before 21:00 in the other.
const DAYTIME_SOMEWHERE = ["Europe/London", "America/New_York"];

/**
 * Books the first slot of a new staff member of the demo owner's third salon, opened for it
 * two minutes from now, and leaves the booking in the environment the test workers inherit.
 * The global setup calls it, so the appointment has started by the time the other specs are
 * done. A new staff member each run keeps earlier runs' bookings out of the way.
 */
export async function bookTheNextSlot(request: APIRequestContext): Promise<void> {
  const salon = (await ownedSalons(request))[2];
  if (!salon) throw new Error("the demo owner manages three salons");
  const detail = (await (await request.get(`/api/v1/salons/${salon.id}`)).json()) as {
    services: { id: string }[];
  };
  const service = detail.services[0];
  if (!service) throw new Error("the salon offers no service");
  const owner = await ownerApi(request, salon.id);
  const soon = await openSoon(owner, salon.timezone);
  const staffName = `E2e soon ${Date.now()}`;
  const staff = await owner.send("post", "/staff", {
    display_name: staffName,
    service_ids: [service.id],
  });
  const allDay = [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({
    weekday,
    starts: "00:00",
    ends: "23:55",
  }));
  await owner.send("put", `/staff/${staff.id}/hours`, allDay);

  const query = `service=${service.id}&staff=${staff.id}&from=${soon.date}&to=${soon.date}`;
  const availability = (await (
    await request.get(`/api/v1/salons/${salon.id}/availability?${query}`)
  ).json()) as { slots: { start: string }[] };
  const slot = availability.slots[0];
  if (!slot) throw new Error(`no slot on ${soon.date} from ${soon.time}`);
  const customerToken = await apiToken(request, await newCustomer(request, "completed"));
  const booked = await request.post("/api/v1/appointments", {
    headers: { Authorization: `Bearer ${customerToken}` },
    data: { service: service.id, staff: staff.id, start: slot.start },
  });
  expect(booked.status(), await booked.text()).toBe(201);
  const booking: SoonBooking = { salonId: salon.id, staffName, start: slot.start };
  process.env[VARIABLE] = JSON.stringify(booking);
}

/** The booking the global setup made. */
export function soonBooking(): SoonBooking {
  const value = process.env[VARIABLE];
  if (!value) throw new Error(`${VARIABLE} is not set: the global setup books it`);
  return JSON.parse(value) as SoonBooking;
}

interface SalonClock {
  date: string;
  weekday: number; // Monday 0, as the API counts
  time: string;
}

interface OwnerApi {
  send(method: "post" | "put" | "patch", path: string, data: unknown): Promise<{ id: string }>;
}

/** The demo owner's calls to one salon's management API; each must succeed. */
async function ownerApi(request: APIRequestContext, salonId: string): Promise<OwnerApi> {
  const headers = { Authorization: `Bearer ${await apiToken(request, OWNER)}` };
  const base = `/api/v1/manage/salons/${salonId}`;
  return {
    async send(method, path, data) {
      const response = await request[method](`${base}${path}`, { headers, data });
      expect(response.ok(), `${path}: ${await response.text()}`).toBeTruthy();
      return (await response.json()) as { id: string };
    },
  };
}

/**
 * Makes the salon bookable from two minutes from now: no notice, 5-minute steps, today open
 * from then (slots start on a grid anchored at the opening time), other days all day. Late in
 * the salon's evening it moves to a time zone where the day has hours left for the booking.
 */
async function openSoon(owner: OwnerApi, salonTimezone: string): Promise<SalonClock> {
  const timezone =
    [salonTimezone, ...DAYTIME_SOMEWHERE].find((zone) => salonClock(zone).time < "21:00") ??
    salonTimezone;
  await owner.send("patch", "", { timezone });
  await owner.send("put", "/policy", {
    min_notice_minutes: 0,
    horizon_days: 30,
    cancellation_cutoff_minutes: 0,
    slot_step_minutes: 5,
  });
  const soon = salonClock(timezone, 2);
  const opens = (weekday: number) => (weekday === soon.weekday ? soon.time : "00:00");
  const week = [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({
    weekday,
    opens: opens(weekday),
    closes: "23:55",
  }));
  await owner.send("put", "/hours", week);
  return soon;
}

/** The date, weekday and time of day in `timeZone`, `minutesAhead` from now. */
function salonClock(timeZone: string, minutesAhead = 0): SalonClock {
  const at = new Date(Date.now() + minutesAhead * 60_000);
  const format = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  const part = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  return {
    date: `${part.year}-${part.month}-${part.day}`,
    weekday: WEEKDAYS.indexOf(part.weekday ?? ""),
    time: `${part.hour}:${part.minute}`,
  };
}
