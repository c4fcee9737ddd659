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
