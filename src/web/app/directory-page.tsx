/** Users and groups of the local directory copy, a group's members, and the membership checker. */
export function DirectoryPage() {
  return (
    <section aria-labelledby="directory-title">
      <h1 id="directory-title">Directory</h1>
    </section>
  );
}
