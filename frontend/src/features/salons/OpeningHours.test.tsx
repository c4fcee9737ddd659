import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { salonDetail } from "../../test/salon";
import { OpeningHours } from "./OpeningHours";

// 23:30 UTC on Tuesday 3 March 2026: already Wednesday 4 March in Berlin.
const NOW = new Date("2026-03-03T23:30:00Z");
const salon = salonDetail({
  opening_hours: [
    { weekday: 2, opens: "09:00:00", closes: "12:00:00" },
    { weekday: 2, opens: "14:00:00", closes: "18:00:00" },
    { weekday: 3, opens: "09:00:00", closes: "18:00:00" },
  ],
});

function rowOf(day: string): HTMLElement {
  const header = screen.getByRole("rowheader", { name: new RegExp(`^${day}`) });
  return header.closest("tr") as HTMLElement;
}

describe("opening hours", () => {
  it("is a table of the week, labelled with the salon's zone", () => {
    render(<OpeningHours salon={salon} now={NOW} />);
    const table = screen.getByRole("table", {
      name: "Times in the salon's time zone, Europe/Berlin (GMT+1).",
    });
    expect(within(table).getAllByRole("rowheader")).toHaveLength(7);
    expect(within(rowOf("Wednesday")).getByRole("cell")).toHaveTextContent(
      "09:00–12:00, 14:00–18:00",
    );
    expect(within(rowOf("Monday")).getByRole("cell")).toHaveTextContent("Closed");
  });

  it("marks today on the salon's calendar, not the reader's", () => {
    render(<OpeningHours salon={salon} now={NOW} />);
    expect(rowOf("Wednesday")).toHaveAttribute("aria-current", "date");
    expect(rowOf("Wednesday")).toHaveTextContent("(today)");
    expect(rowOf("Tuesday")).not.toHaveAttribute("aria-current");
  });

  it("says when the salon is closed today and lists the coming closures", () => {
    const closures = [
      { start_date: "2026-03-04", end_date: "2026-03-04", reason: "" },
      { start_date: "2026-04-03", end_date: "2026-04-06", reason: "Easter" },
    ];
    render(<OpeningHours salon={{ ...salon, closures }} now={NOW} />);
    expect(within(rowOf("Wednesday")).getByRole("cell")).toHaveTextContent("Closed today");
    const list = screen.getByRole("list", { name: "Closures coming up" });
    expect(
      within(list)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual(["Wed 4 Mar", "Fri 3 Apr – Mon 6 Apr: Easter"]);
  });

  it("lists no closures when none are coming", () => {
    render(<OpeningHours salon={salon} now={NOW} />);
    expect(screen.queryByRole("list", { name: "Closures coming up" })).toBeNull();
  });
});
