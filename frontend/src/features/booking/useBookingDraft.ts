import { useCallback } from "react";
import { useSearchParams } from "react-router";
import {
  draftFromParams,
  draftReducer,
  draftToParams,
  type BookingDraft,
  type DraftAction,
} from "./bookingDraft";

/** The booking draft, read from and written to the URL. */
export function useBookingDraft(): [BookingDraft, (action: DraftAction) => void] {
  const [params, setParams] = useSearchParams();
  const draft = draftFromParams(params);
  const dispatch = useCallback(
    (action: DraftAction) => {
      setParams((current) => draftToParams(draftReducer(draftFromParams(current), action)), {
        replace: true,
        preventScrollReset: true,
        flushSync: true, // controlled radios and buttons must reflect the choice at once
      });
    },
    [setParams],
  );
  return [draft, dispatch];
}
