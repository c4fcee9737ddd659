// Customer-side reads and writes as TanStack Query hooks over the one API client.
import { useMutation, useQuery, useQueryClient, useInfiniteQuery } from "@tanstack/react-query";
import { api, idempotencyKey, unwrap } from "./client";
import { asPage, MAX_PAGE_SIZE, withPaging, type Page } from "./pages";
import type { Appointment, ProfileChanges, SalonSummary, User } from "./types";
import { useSession } from "../features/account/useSession";

export const queryKeys = {
  salons: (filters: SalonFilters) => ["salons", filters] as const,
  salon: (id: string) => ["salon", id] as const,
  availability: (salonId: string) => ["availability", salonId] as const,
  appointments: ["appointments"] as const,
  appointment: (id: string) => ["appointments", id] as const,
  me: ["me"] as const,
};

export interface SalonFilters {
  search: string;
  city: string;
  service: string;
}

export function useSalonSearch(filters: SalonFilters) {
  return useInfiniteQuery({
    queryKey: queryKeys.salons(filters),
    initialPageParam: 1,
    queryFn: async ({ pageParam }): Promise<Page<SalonSummary>> => {
      const query = withPaging(
        {
          ...(filters.search && { search: filters.search }),
          ...(filters.city && { city: filters.city }),
          ...(filters.service && { service: filters.service }),
        },
        pageParam,
      );
      const body = await unwrap(api.GET("/api/v1/salons", { params: { query } }));
      return asPage(body);
    },
    getNextPageParam: (last, _all, pageParam) => (last.next ? pageParam + 1 : undefined),
  });
}

export function useSalon(salonId: string) {
  return useQuery({
    queryKey: queryKeys.salon(salonId),
    queryFn: () =>
      unwrap(api.GET("/api/v1/salons/{salon_id}", { params: { path: { salon_id: salonId } } })),
  });
}

export interface AvailabilityQuery {
  salonId: string;
  serviceId: string;
  staffId: string | null;
  from: string;
  to: string;
}

export function useAvailability(query: AvailabilityQuery | null) {
  return useQuery({
    queryKey: [...queryKeys.availability(query?.salonId ?? ""), query],
    enabled: query !== null,
    queryFn: () => {
      if (query === null) throw new Error("disabled");
      return unwrap(
        api.GET("/api/v1/salons/{salon_id}/availability", {
          params: {
            path: { salon_id: query.salonId },
            query: {
              service: query.serviceId,
              from: query.from,
              to: query.to,
              ...(query.staffId && { staff: query.staffId }),
            },
          },
        }),
      );
    },
  });
}

export function useMyAppointments() {
  const { signedIn } = useSession();
  return useQuery({
    queryKey: queryKeys.appointments,
    enabled: signedIn,
    queryFn: async () => {
      const body = await unwrap(
        api.GET("/api/v1/appointments", { params: { query: withPaging({}, 1, MAX_PAGE_SIZE) } }),
      );
      return asPage(body).results;
    },
  });
}

export function useAppointment(appointmentId: string) {
  return useQuery({
    queryKey: queryKeys.appointment(appointmentId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/appointments/{appointment_id}", {
          params: { path: { appointment_id: appointmentId } },
        }),
      ),
  });
}

export interface BookingRequest {
  serviceId: string;
  start: string;
  staffId: string | null;
}

export function useBook() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (booking: BookingRequest): Promise<Appointment> =>
      unwrap(
        api.POST("/api/v1/appointments", {
          body: { service: booking.serviceId, start: booking.start, staff: booking.staffId },
          params: { header: { "Idempotency-Key": idempotencyKey() } },
        }),
      ),
    onSettled: () => client.invalidateQueries({ queryKey: ["availability"] }),
    onSuccess: (appointment) => {
      client.setQueryData(queryKeys.appointment(appointment.id), appointment);
      return client.invalidateQueries({ queryKey: queryKeys.appointments, exact: true });
    },
  });
}

function useAppointmentChange<V>(change: (appointmentId: string, v: V) => Promise<Appointment>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ appointmentId, value }: { appointmentId: string; value: V }) =>
      change(appointmentId, value),
    onSettled: () => client.invalidateQueries({ queryKey: ["availability"] }),
    onSuccess: (appointment) => {
      client.setQueryData(queryKeys.appointment(appointment.id), appointment);
      return client.invalidateQueries({ queryKey: queryKeys.appointments, exact: true });
    },
  });
}

export function useCancel() {
  return useAppointmentChange<null>((id) =>
    unwrap(
      api.POST("/api/v1/appointments/{appointment_id}/cancel", {
        params: { path: { appointment_id: id } },
      }),
    ),
  );
}

export function useReschedule() {
  return useAppointmentChange<{ start: string; staffId: string | null }>((id, value) =>
    unwrap(
      api.POST("/api/v1/appointments/{appointment_id}/reschedule", {
        params: { path: { appointment_id: id } },
        body: { start: value.start, staff: value.staffId },
      }),
    ),
  );
}

export function useMe() {
  const { signedIn } = useSession();
  return useQuery({
    queryKey: queryKeys.me,
    enabled: signedIn,
    queryFn: () => unwrap(api.GET("/api/v1/auth/me")),
  });
}

export function useUpdateProfile() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (changes: ProfileChanges): Promise<User> =>
      unwrap(api.PATCH("/api/v1/auth/me", { body: changes })),
    onSuccess: (user) => {
      client.setQueryData(queryKeys.me, user);
    },
  });
}
