import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { StatusText } from "./StatusText";

describe("status words", () => {
  it("says who cancelled from the reader's side", () => {
    render(
      <ul>
        <li>
          <StatusText status="cancelled_by_customer" />
        </li>
        <li>
          <StatusText status="cancelled_by_customer" viewer="salon" />
        </li>
        <li>
          <StatusText status="completed" viewer="salon" />
        </li>
      </ul>,
    );
    expect(screen.getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "Cancelled by you",
      "Cancelled by the customer",
      "Completed",
    ]);
  });
});
