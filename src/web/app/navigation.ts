import { useEffect, useState } from 'react';

/** Path-based routing without a router dependency: the server answers every UI path with index.html. */
export function navigate(path: string): void {
  if (path === location.pathname + location.search) return;
  history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
}

function readLocation() {
  return { path: location.pathname, query: new URLSearchParams(location.search) };
}

export function useLocation(): { path: string; query: URLSearchParams } {
  const [state, setState] = useState(readLocation);
  useEffect(() => {
    const update = () => setState(readLocation());
    addEventListener('popstate', update);
    return () => removeEventListener('popstate', update);
  }, []);
  return state;
}
