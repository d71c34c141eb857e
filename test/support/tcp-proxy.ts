import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a server (PostgreSQL in the fault tests) that can fail the way networks do:
 * `blackhole()` keeps every connection open but forwards nothing either way (not even a side's
 * hanging up, which arrives at `heal()`), and accepts new connections without ever answering
 * (packets unanswered); `blackholeAt(text)` forwards until the client sends `text`, then
 * blackholes from that chunk on (`deliver`: that chunk still reaches the server, its answer does
 * not); `refuse()` stops listening and drops every connection (connection refused); `heal()`
 * forwards again. `url(u)` points a connection string at the proxy.
 */
export interface TcpProxy {
  port: number;
  url(target: string): string;
  blackhole(): void;
  blackholeAt(text: string, options?: { deliver?: boolean }): void;
  refuse(): Promise<void>;
  heal(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }, listenPort = 0): Promise<TcpProxy> {
  let mode: 'forward' | 'blackhole' | 'refuse' = 'forward';
  let trigger: { text: string; deliver: boolean } | null = null;
  const sockets = new Set<Socket>();
  // Sockets whose other side hung up during a blackhole: they are closed when it heals.
  const held = new Set<Socket>();
  const hangUp = (s: Socket) => (mode === 'blackhole' ? held.add(s) : s.destroy());
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  const onConnection = (client: Socket) => {
    track(client);
    if (mode !== 'forward') return; // accepted, never answered
    const upstream = connect(target.port, target.host);
    track(upstream);
    client.on('data', (chunk) => {
      if (mode === 'forward' && trigger && chunk.includes(trigger.text)) {
        if (trigger.deliver) upstream.write(chunk);
        trigger = null;
        mode = 'blackhole';
      }
      if (mode === 'forward') upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (mode === 'forward') client.write(chunk);
    });
    client.on('close', () => hangUp(upstream));
    upstream.on('close', () => hangUp(client));
  };
  let server: Server = createServer(onConnection);
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  const port = await listen(listenPort);
  const stopListening = () => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  const dropAll = () => {
    for (const s of sockets) s.destroy();
  };
  return {
    port,
    url(connectionString) {
      const u = new URL(connectionString);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    blackhole() {
      mode = 'blackhole';
    },
    blackholeAt(text, options = {}) {
      trigger = { text, deliver: options.deliver ?? false };
    },
    async refuse() {
      mode = 'refuse';
      dropAll();
      await stopListening();
    },
    async heal() {
      if (mode === 'refuse') {
        server = createServer(onConnection);
        await listen(port);
      }
      mode = 'forward';
      trigger = null;
      for (const s of held) s.destroy();
      held.clear();
    },
    async close() {
      mode = 'refuse';
      trigger = null;
      dropAll();
      await stopListening();
    },
  };
}
