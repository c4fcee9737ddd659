import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { salonDetail } from "../../test/salon";
import { BookingPolicy } from "./BookingPolicy";

function facts(): string[] {
  return Array.from(document.querySelectorAll("dt, dd")).map((node) => node.textContent);
}

describe("booking policy", () => {
  it("states notice, horizon and the online cutoff in words, with the salon's number", () => {
    render(
      <BookingPolicy
        salon={salonDetail({
          policy: { min_notice_minutes: 120, horizon_days: 30, cancellation_cutoff_minutes: 1440 },
        })}
      />,
    );
    expect(screen.getByRole("heading", { name: "Booking policy" })).toBeInTheDocument();
    expect(facts()).toEqual([
      "Notice needed to book",
      "2 hours",
      "Book ahead",
      "Up to 30 days",
      "Cancel or reschedule online",
      "Up to 1 day before the start",
    ]);
    expect(screen.getByRole("link", { name: "Call +4930123456" })).toHaveAttribute(
      "href",
      "tel:+4930123456",
    );
  });

  it("says when there is no notice and no cutoff", () => {
    render(
      <BookingPolicy
        salon={salonDetail({
          phone: "",
          policy: { min_notice_minutes: 0, horizon_days: 7, cancellation_cutoff_minutes: 0 },
        })}
      />,
    );
    expect(facts()).toContain("None");
    expect(facts()).toContain("Up to the start");
    expect(screen.queryByRole("link")).toBeNull();
  });
});
