import { useState, type SubmitEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { useSalonSearch, type SalonFilters } from "../../api/queries";
import { Field } from "../../components/Field";
import { ErrorNotice, Loading } from "../../components/Notice";
import { usePageTitle } from "../../components/usePageTitle";
import { t } from "../../i18n";

function filtersFrom(params: URLSearchParams): SalonFilters {
  return {
    search: params.get("q") ?? "",
    city: params.get("city") ?? "",
    service: params.get("service") ?? "",
  };
}

/** Find salons by name, city and service; the filters live in the URL. */
export function HomePage() {
  usePageTitle(t("search.heading"));
  const [params, setParams] = useSearchParams();
  const filters = filtersFrom(params);
  const [form, setForm] = useState(filters);
  const salons = useSalonSearch(filters);

  function submit(event: SubmitEvent) {
    event.preventDefault();
    const next = new URLSearchParams();
    if (form.search) next.set("q", form.search);
    if (form.city) next.set("city", form.city);
    if (form.service) next.set("service", form.service);
    setParams(next);
  }

  const results = salons.data?.pages.flatMap((page) => page.results) ?? [];
  const count = salons.data?.pages[0]?.count ?? 0;
  return (
    <>
      <h1>{t("search.heading")}</h1>
      <form role="search" className="search" onSubmit={submit}>
        <Field
          label={t("search.name")}
          value={form.search}
          onChange={(e) => {
            setForm({ ...form, search: e.target.value });
          }}
        />
        <Field
          label={t("search.city")}
          value={form.city}
          onChange={(e) => {
            setForm({ ...form, city: e.target.value });
          }}
        />
        <Field
          label={t("search.service")}
          value={form.service}
          onChange={(e) => {
            setForm({ ...form, service: e.target.value });
          }}
        />
        <button type="submit">{t("search.submit")}</button>
      </form>
      {salons.isPending && <Loading />}
      <ErrorNotice error={salons.error} />
      {salons.isSuccess && (
        <section aria-labelledby="results-heading">
          <h2 id="results-heading">{t("search.results", { count })}</h2>
          {results.length === 0 && <p>{t("search.noResults")}</p>}
          <ul className="cards">
            {results.map((salon) => (
              <li key={salon.id} className="card">
                <Link to={`/salons/${salon.id}`}>{salon.name}</Link>
                <p>{salon.city}</p>
              </li>
            ))}
          </ul>
          {salons.hasNextPage && (
            <button
              type="button"
              disabled={salons.isFetchingNextPage}
              onClick={() => void salons.fetchNextPage()}
            >
              {t("search.more")}
            </button>
          )}
        </section>
      )}
    </>
  );
}
