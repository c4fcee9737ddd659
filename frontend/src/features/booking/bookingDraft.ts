// The booking in progress lives in the salon page's URL (?service=&staff=&day=&slot=), so it
// survives a detour through sign-in or registration, a reload, and can be shared.

export interface BookingDraft {
  serviceId: string | null;
  staffId: string | null;
  day: string | null;
  slotStart: string | null;
}

export type DraftAction =
  | { type: "chooseService"; serviceId: string }
  | { type: "chooseStaff"; staffId: string | null }
  | { type: "chooseDay"; day: string }
  | { type: "chooseSlot"; slotStart: string }
  | { type: "slotTaken" };

export const emptyDraft: BookingDraft = {
  serviceId: null,
  staffId: null,
  day: null,
  slotStart: null,
};

/** What each choice does to the others: a slot belongs to one service, staff and day. */
export function draftReducer(draft: BookingDraft, action: DraftAction): BookingDraft {
  switch (action.type) {
    case "chooseService":
      return { ...draft, serviceId: action.serviceId, staffId: null, slotStart: null };
    case "chooseStaff":
      return { ...draft, staffId: action.staffId, slotStart: null };
    case "chooseDay":
      return { ...draft, day: action.day, slotStart: null };
    case "chooseSlot":
      return { ...draft, slotStart: action.slotStart };
    case "slotTaken":
      return { ...draft, slotStart: null };
  }
}

const PARAMS = { serviceId: "service", staffId: "staff", day: "day", slotStart: "slot" } as const;

export function draftFromParams(params: URLSearchParams): BookingDraft {
  return {
    serviceId: params.get(PARAMS.serviceId),
    staffId: params.get(PARAMS.staffId),
    day: params.get(PARAMS.day),
    slotStart: params.get(PARAMS.slotStart),
  };
}

export function draftToParams(draft: BookingDraft): URLSearchParams {
  const params = new URLSearchParams();
  for (const [field, name] of Object.entries(PARAMS) as [keyof BookingDraft, string][]) {
    const value = draft[field];
    if (value !== null) params.set(name, value);
  }
  return params;
}

/** The draft can be booked once a service and a slot are chosen. */
export function isBookable(
  draft: BookingDraft,
): draft is BookingDraft & { serviceId: string; slotStart: string } {
  return draft.serviceId !== null && draft.slotStart !== null;
}

// Where to return after confirming an e-mail address. The link opens a new tab, maybe hours
// later, without the URL that held the draft: so the way back (the salon page with its
// ?service=&staff=&day=&slot=) is kept in localStorage until it is used or grows old.
const RETURN_KEY = "booking.returnTo";
const RETURN_MAX_AGE_MS = 3 * 24 * 3600 * 1000; // as long as a verification link works

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // storage may be forbidden: the person then starts again from the home page
  }
}

export function rememberReturnPath(path: string, now: number = Date.now()): void {
  storage()?.setItem(RETURN_KEY, JSON.stringify({ path, at: now }));
}

/** The remembered way back, once: it is forgotten as it is read. */
export function takeReturnPath(now: number = Date.now()): string | null {
  const raw = storage()?.getItem(RETURN_KEY) ?? null;
  storage()?.removeItem(RETURN_KEY);
  if (raw === null) return null;
  try {
    const saved = JSON.parse(raw) as { path?: unknown; at?: unknown };
    const fresh = typeof saved.at === "number" && now - saved.at <= RETURN_MAX_AGE_MS;
    const path = typeof saved.path === "string" ? saved.path : "";
    return fresh && path.startsWith("/") && !path.startsWith("//") ? path : null;
  } catch {
    return null;
  }
}
