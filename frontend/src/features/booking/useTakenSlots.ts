import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { queryKeys } from "../../api/queries";

const REFETCH_AFTER_MS = 1500;

/**
 * Times this person just lost to someone else. Availability is read from a replica, so the
 * first fresh list can still show the taken time; we hide it and ask again shortly after.
 */
export function useTakenSlots(salonId: string): {
  starts: ReadonlySet<string>;
  add: (start: string) => void;
} {
  const [starts, setStarts] = useState<ReadonlySet<string>>(new Set());
  const client = useQueryClient();
  const add = useCallback(
    (start: string) => {
      setStarts((current) => new Set([...current, start]));
      setTimeout(
        () => void client.invalidateQueries({ queryKey: queryKeys.availability(salonId) }),
        REFETCH_AFTER_MS,
      );
    },
    [client, salonId],
  );
  return { starts, add };
}
