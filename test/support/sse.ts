/** A minimal Server-Sent Events reader over fetch, for tests: collects messages until told to stop. */
export interface SseMessage {
  id?: string;
  event: string;
  data: string;
}

export interface SseClient {
  messages: SseMessage[];
  /** Resolves once `count` messages of type `event` have arrived (rejects after `timeoutMs`). */
  waitFor(event: string, count: number, timeoutMs?: number): Promise<SseMessage[]>;
  /** Resolves true once the server has ended the stream, false after `timeoutMs`. */
  ended(timeoutMs?: number): Promise<boolean>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string>): Promise<SseClient> {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  if (res.status !== 200 || !res.body) throw new Error(`stream answered ${res.status}: ${await res.text()}`);
  const messages: SseMessage[] = [];
  const waiters = new Set<() => void>();
  let finished = false;
  const done = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const message: SseMessage = { event: 'message', data: '' };
          let seen = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':') || !line) continue;
            const [field, ...rest] = line.split(':');
            const value = rest.join(':').replace(/^ /, '');
            if (field === 'id') message.id = value;
            if (field === 'event') message.event = value;
            if (field === 'data') message.data += value;
            if (field === 'id' || field === 'event' || field === 'data') seen = true;
          }
          if (seen) messages.push(message);
          for (const w of waiters) w();
        }
      }
    } catch {
      // aborted
    }
    finished = true;
  })();
  return {
    messages,
    waitFor(event, count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.filter((m) => m.event === event);
          if (found.length >= count) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`waited for ${count} ${event} messages, got ${messages.filter((m) => m.event === event).length}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    ended: (timeoutMs = 10_000) =>
      Promise.race([done.then(() => finished), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs))]),
    close: () => controller.abort(),
  };
}
