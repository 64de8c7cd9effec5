import { Alert, DataList, Link, Table } from './components';
import { formatDate, type Language, type Messages } from '../i18n';
import { todayInAmsterdam } from '../dates';
import type { CreditView } from '../services/participants';

/*
 * Issue 16 part 3 (evaluations): the pieces other pages show — the dossier's confirmation and its
 * credits table's "Beoordeling" cell, and the public rating text of the catalogue and the
 * activity page.
 */

/** The dossier's confirmation after a rating (`?beoordeeld=1`, set by /dossier/beoordelen/{id}). */
export function EvaluationConfirmation({ t, query }: { t: Messages; query: Record<string, string | undefined> }) {
  return query.beoordeeld === '1' ? <Alert type="ok">{t.evaluations.confirmation}</Alert> : null;
}

/** The credits table's rating cell: the rating given, the link to give one, or nothing for a revoked credit. */
export function EvaluationCell({ t, credit }: { t: Messages; credit: CreditView }) {
  const e = t.evaluations;
  if (credit.evaluation) return <>{e.yourRating(credit.evaluation.rating)}</>;
  if (credit.status === 'revoked') return <>{e.notRateable}</>;
  return (
    <Link href={`/dossier/beoordelen/${encodeURIComponent(credit.creditId)}`}>
      {e.rate}
      <span class="pe-visually-hidden">{e.rateHidden(credit.activityTitle)}</span>
    </Link>
  );
}

/** `4,2 van 5 (7 beoordelingen)` — the public shape (present only from 5 ratings on). */
export function ratingText(t: Messages, lang: Language, rating: { average: number; count: number }): string {
  return t.evaluations.publicRating(formatAverage(lang, rating.average), rating.count);
}

/** An average to one decimal, with the decimal comma in Dutch. */
export function formatAverage(lang: Language, average: number): string {
  return lang === 'nl' ? average.toFixed(1).replace('.', ',') : average.toFixed(1);
}

/** The catalogue's rating cell: the public rating, or that there are too few. */
export function PublicRating({ t, lang, rating }: { t: Messages; lang: Language; rating?: { average: number; count: number } }) {
  return <>{rating ? ratingText(t, lang, rating) : t.evaluations.fewRatings}</>;
}

/** The provider home's menu item to /opleider/evaluaties. */
export function EvaluationsMenuItem({ t }: { t: Messages }) {
  return (
    <li class="utrecht-unordered-list__item">
      <Link href="/opleider/evaluaties">{t.evaluations.providerMenu}</Link>
    </li>
  );
}

/** An owner's table of evaluations: date, rating, comment (never who gave it). */
export function EvaluationItems({ t, lang, caption, items }: { t: Messages; lang: Language; caption: string; items: { rating: number; comment?: string; at: string }[] }) {
  const e = t.evaluations;
  const day = (iso: string) => formatDate(lang, todayInAmsterdam(new Date(iso)));
  return <Table caption={caption} headers={e.evaluationColumns} rows={items.map((i) => [day(i.at), e.average(String(i.rating)), i.comment ?? e.noComment])} />;
}

/** An activity's average and number of ratings, for its owner. */
export function RatingSummary({ t, lang, rating }: { t: Messages; lang: Language; rating: { average: number; count: number } }) {
  const e = t.evaluations;
  return (
    <DataList
      items={[
        { key: e.averageLabel, value: e.average(formatAverage(lang, rating.average)) },
        { key: e.countLabel, value: String(rating.count) },
      ]}
    />
  );
}
