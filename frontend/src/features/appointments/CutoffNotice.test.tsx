import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { salonDetail } from "../../test/salon";
import { CutoffNotice } from "./CutoffNotice";

const salon = salonDetail({
  policy: { min_notice_minutes: 0, horizon_days: 60, cancellation_cutoff_minutes: 1440 },
});

describe("the cutoff, explained before the customer tries", () => {
  it("gives the last moment to change online, in the salon's time", () => {
    const { container } = render(
      <CutoffNotice window={{ kind: "open", until: "2026-06-01T12:00:00Z" }} salon={salon} />,
    );
    expect(container).toHaveTextContent(
      "You can reschedule or cancel online until Mon 1 Jun, 14:00. Later than that, please call the salon.",
    );
  });

  it("after the cutoff, says why changes are closed and how to reach the salon", () => {
    const { container } = render(
      <CutoffNotice window={{ kind: "closed", since: "2026-06-01T12:00:00Z" }} salon={salon} />,
    );
    expect(container).toHaveTextContent(
      "Online changes ended at Mon 1 Jun, 14:00, 1 day before the start. To reschedule or cancel, please call the salon.",
    );
    expect(screen.getByRole("link", { name: "Call +4930123456" })).toHaveAttribute(
      "href",
      "tel:+4930123456",
    );
  });

  it("says nothing when there is nothing left to change", () => {
    const { container } = render(<CutoffNotice window={{ kind: "none" }} salon={salon} />);
    expect(container).toBeEmptyDOMElement();
  });
});
