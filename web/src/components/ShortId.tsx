// Row ids are UUIDv7: the first characters are a timestamp, the same for every record made in the same
// minute, so the last characters (random) are the ones that tell two records apart.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SHOWN = 8;

/** A long internal id as its last 8 characters ("…3f9a0c21"); any other id (an MRN, "GET /api/users") as it is. */
export function shortenId(id: string): string {
  return UUID.test(id) ? `…${id.slice(-SHOWN)}` : id;
}

/** An internal id, shortened, with the whole id in its tooltip. */
export function ShortId({ id }: { id: string }) {
  const short = shortenId(id);
  if (short === id) return <span>{id}</span>;
  return (
    <abbr title={id} style={{ whiteSpace: 'nowrap', textDecoration: 'underline dotted', cursor: 'help' }} data-full-id={id}>
      {short}
    </abbr>
  );
}
