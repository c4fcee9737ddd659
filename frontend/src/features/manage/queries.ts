// Salon management reads and writes. Every write refreshes the salon's public page and
// availability, so the owner sees the effect on free times at once.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, idempotencyKey, unwrap } from "../../api/client";
import { asPage, MAX_PAGE_SIZE, withPaging } from "../../api/pages";
import { queryKeys } from "../../api/queries";
import type { components } from "../../api/schema.gen";
import type { AppointmentStatus, OpeningHours, Policy, WorkingHours } from "../../api/types";

type Schemas = components["schemas"];
const all = withPaging({}, 1, MAX_PAGE_SIZE);

export const manageKeys = {
  salons: ["manage", "salons"] as const,
  salon: (salonId: string) => ["manage", salonId] as const,
  part: (salonId: string, part: string, ...rest: string[]) =>
    ["manage", salonId, part, ...rest] as const,
};

const salonPath = (salonId: string) => ({ params: { path: { salon_id: salonId } } });
const staffPath = (salonId: string, staffId: string) => ({
  params: { path: { salon_id: salonId, staff_id: staffId } },
});

export function useManagedSalons() {
  return useQuery({
    queryKey: manageKeys.salons,
    queryFn: async () =>
      asPage(await unwrap(api.GET("/api/v1/manage/salons", { params: { query: all } }))).results,
  });
}

export function useManagedSalon(salonId: string) {
  return useQuery({
    queryKey: manageKeys.part(salonId, "detail"),
    queryFn: () => unwrap(api.GET("/api/v1/manage/salons/{salon_id}", salonPath(salonId))),
  });
}

export interface AppointmentRange {
  startAfter: string;
  startBefore: string;
}

export function useSalonAppointments(salonId: string, range: AppointmentRange) {
  return useQuery({
    queryKey: manageKeys.part(salonId, "appointments", range.startAfter, range.startBefore),
    queryFn: async () => {
      const query = withPaging(
        { start_after: range.startAfter, start_before: range.startBefore },
        1,
        MAX_PAGE_SIZE,
      );
      const body = await unwrap(
        api.GET("/api/v1/manage/salons/{salon_id}/appointments", {
          params: { path: { salon_id: salonId }, query },
        }),
      );
      return asPage(body).results;
    },
  });
}

/** A write whose success refreshes the salon's management data and its public view. */
function useSalonWrite<V, R>(salonId: string, write: (value: V) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: manageKeys.salon(salonId) }),
        client.invalidateQueries({ queryKey: queryKeys.salon(salonId) }),
        client.invalidateQueries({ queryKey: queryKeys.availability(salonId) }),
      ]),
  });
}

export function useSetAppointmentStatus(salonId: string) {
  return useSalonWrite(
    salonId,
    ({
      appointmentId,
      status,
    }: {
      appointmentId: string;
      status: Extract<AppointmentStatus, "completed" | "no_show" | "cancelled_by_salon">;
    }) =>
      unwrap(
        api.POST("/api/v1/manage/salons/{salon_id}/appointments/{appointment_id}/status", {
          params: { path: { salon_id: salonId, appointment_id: appointmentId } },
          body: { status },
        }),
      ),
  );
}

export function useUpdateSalon(salonId: string) {
  return useSalonWrite(salonId, (changes: Schemas["PatchedManagedSalonUpdateInputRequest"]) =>
    unwrap(api.PATCH("/api/v1/manage/salons/{salon_id}", { ...salonPath(salonId), body: changes })),
  );
}

export function usePolicy(salonId: string) {
  return useQuery({
    queryKey: manageKeys.part(salonId, "policy"),
    queryFn: () => unwrap(api.GET("/api/v1/manage/salons/{salon_id}/policy", salonPath(salonId))),
  });
}

export function useUpdatePolicy(salonId: string) {
  return useSalonWrite(salonId, (policy: Policy) =>
    unwrap(
      api.PUT("/api/v1/manage/salons/{salon_id}/policy", { ...salonPath(salonId), body: policy }),
    ),
  );
}

export function useOpeningHours(salonId: string) {
  return useQuery({
    queryKey: manageKeys.part(salonId, "hours"),
    queryFn: () => unwrap(api.GET("/api/v1/manage/salons/{salon_id}/hours", salonPath(salonId))),
  });
}

export function useReplaceOpeningHours(salonId: string) {
  return useSalonWrite(salonId, (hours: OpeningHours[]) =>
    unwrap(
      api.PUT("/api/v1/manage/salons/{salon_id}/hours", { ...salonPath(salonId), body: hours }),
    ),
  );
}

export function useClosures(salonId: string) {
  return useQuery({
    queryKey: manageKeys.part(salonId, "closures"),
    queryFn: async () =>
      asPage(
        await unwrap(
          api.GET("/api/v1/manage/salons/{salon_id}/closures", {
            params: { path: { salon_id: salonId }, query: all },
          }),
        ),
      ).results,
  });
}

export function useAddClosure(salonId: string) {
  return useSalonWrite(salonId, (closure: Schemas["ManagedClosureCreateInputRequest"]) =>
    unwrap(
      api.POST("/api/v1/manage/salons/{salon_id}/closures", {
        params: { path: { salon_id: salonId }, header: { "Idempotency-Key": idempotencyKey() } },
        body: closure,
      }),
    ),
  );
}

export function useRemoveClosure(salonId: string) {
  return useSalonWrite(salonId, (closureId: string) =>
    unwrap(
      api.DELETE("/api/v1/manage/salons/{salon_id}/closures/{closure_id}", {
        params: { path: { salon_id: salonId, closure_id: closureId } },
      }),
    ),
  );
}

export function useManagedServices(salonId: string) {
  return useQuery({
    queryKey: manageKeys.part(salonId, "services"),
    queryFn: async () =>
      asPage(
        await unwrap(
          api.GET("/api/v1/manage/salons/{salon_id}/services", {
            params: { path: { salon_id: salonId }, query: all },
          }),
        ),
      ).results,
  });
}

export function useAddService(salonId: string) {
  return useSalonWrite(salonId, (service: Schemas["ManagedServiceCreateInputRequest"]) =>
    unwrap(
      api.POST("/api/v1/manage/salons/{salon_id}/services", {
        params: { path: { salon_id: salonId }, header: { "Idempotency-Key": idempotencyKey() } },
        body: service,
      }),
    ),
  );
}

export function useUpdateService(salonId: string) {
  return useSalonWrite(
    salonId,
    ({
      serviceId,
      changes,
    }: {
      serviceId: string;
      changes: Schemas["PatchedManagedServiceUpdateInputRequest"];
    }) =>
      unwrap(
        api.PATCH("/api/v1/manage/salons/{salon_id}/services/{service_id}", {
          params: { path: { salon_id: salonId, service_id: serviceId } },
          body: changes,
        }),
      ),
  );
}

export function useManagedStaff(salonId: string) {
  return useQuery({
    queryKey: manageKeys.part(salonId, "staff"),
    queryFn: async () =>
      asPage(
        await unwrap(
          api.GET("/api/v1/manage/salons/{salon_id}/staff", {
            params: { path: { salon_id: salonId }, query: all },
          }),
        ),
      ).results,
  });
}

export function useAddStaff(salonId: string) {
  return useSalonWrite(salonId, (staff: Schemas["ManagedStaffCreateInputRequest"]) =>
    unwrap(
      api.POST("/api/v1/manage/salons/{salon_id}/staff", {
        params: { path: { salon_id: salonId }, header: { "Idempotency-Key": idempotencyKey() } },
        body: staff,
      }),
    ),
  );
}

export function useUpdateStaff(salonId: string) {
  return useSalonWrite(
    salonId,
    ({
      staffId,
      changes,
    }: {
      staffId: string;
      changes: Schemas["PatchedManagedStaffUpdateInputRequest"];
    }) =>
      unwrap(
        api.PATCH("/api/v1/manage/salons/{salon_id}/staff/{staff_id}", {
          ...staffPath(salonId, staffId),
          body: changes,
        }),
      ),
  );
}

export function useWorkingHours(salonId: string, staffId: string) {
  return useQuery({
    queryKey: manageKeys.part(salonId, "staff-hours", staffId),
    queryFn: () =>
      unwrap(
        api.GET(
          "/api/v1/manage/salons/{salon_id}/staff/{staff_id}/hours",
          staffPath(salonId, staffId),
        ),
      ),
  });
}

export function useReplaceWorkingHours(salonId: string, staffId: string) {
  return useSalonWrite(salonId, (hours: WorkingHours[]) =>
    unwrap(
      api.PUT("/api/v1/manage/salons/{salon_id}/staff/{staff_id}/hours", {
        ...staffPath(salonId, staffId),
        body: hours,
      }),
    ),
  );
}

export function useTimeOff(salonId: string, staffId: string) {
  return useQuery({
    queryKey: manageKeys.part(salonId, "time-off", staffId),
    queryFn: async () =>
      asPage(
        await unwrap(
          api.GET("/api/v1/manage/salons/{salon_id}/staff/{staff_id}/time-off", {
            params: { path: { salon_id: salonId, staff_id: staffId }, query: all },
          }),
        ),
      ).results,
  });
}

export function useAddTimeOff(salonId: string, staffId: string) {
  return useSalonWrite(salonId, (timeOff: Schemas["ManagedTimeOffCreateInputRequest"]) =>
    unwrap(
      api.POST("/api/v1/manage/salons/{salon_id}/staff/{staff_id}/time-off", {
        params: {
          path: { salon_id: salonId, staff_id: staffId },
          header: { "Idempotency-Key": idempotencyKey() },
        },
        body: timeOff,
      }),
    ),
  );
}

export function useRemoveTimeOff(salonId: string, staffId: string) {
  return useSalonWrite(salonId, (timeOffId: string) =>
    unwrap(
      api.DELETE("/api/v1/manage/salons/{salon_id}/staff/{staff_id}/time-off/{time_off_id}", {
        params: { path: { salon_id: salonId, staff_id: staffId, time_off_id: timeOffId } },
      }),
    ),
  );
}
