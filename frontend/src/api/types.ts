// Names for the API's shapes, all taken from the generated schema.
import type { components } from "./schema.gen";

type Schemas = components["schemas"];

export type SalonSummary = Schemas["SalonListOutput"];
export type SalonDetail = Schemas["SalonDetailOutput"];
export type Service = Schemas["ServiceOutput"];
export type Staff = Schemas["StaffOutput"];
export type Availability = Schemas["AvailabilityOutput"];
export type Slot = Schemas["SlotOutput"];
export type Appointment = Schemas["AppointmentOutput"];
export type SalonAppointment = Schemas["SalonAppointmentOutput"];
export type User = Schemas["UserOutput"];
export type ProfileChanges = Schemas["PatchedMeInputRequest"];
export type RegisterInput = Schemas["RegisterInputRequest"];
export type ManagedSalon = Schemas["ManagedSalonListOutput"];
export type ManagedSalonDetail = Schemas["ManagedSalonOutput"];
export type ManagedService = Schemas["ManagedServiceOutput"];
export type ManagedStaff = Schemas["ManagedStaffOutput"];
export type OpeningHours = Schemas["ManagedOpeningHours"];
export type WorkingHours = Schemas["ManagedWorkingHours"];
export type TimeOff = Schemas["ManagedTimeOffOutput"];
export type Closure = Schemas["ManagedClosureOutput"];
/** An IANA time zone name the API accepts (it answers with the same names). */
export type TimeZoneName = Schemas["TimezoneEnum"];
export type Policy = Schemas["ManagedPolicy"];

export type AppointmentStatus =
  "confirmed" | "cancelled_by_customer" | "cancelled_by_salon" | "completed" | "no_show";
