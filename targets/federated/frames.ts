import type { Socket } from 'node:net';
import { FRAME_HEADER_BYTES } from './messages.js';

/** Writes one length-prefixed frame: a uint32 LE payload length, then the payload. */
export function writeFrame(socket: Socket, payload: Buffer): void {
  const head = Buffer.alloc(FRAME_HEADER_BYTES);
  head.writeUInt32LE(payload.length, 0);
  socket.cork();
  socket.write(head);
  socket.write(payload);
  socket.uncork();
}

/** Reassembles frames from a TCP byte stream, which cuts and joins writes as it likes. */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  /** The frames completed by `chunk`, in order. */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Buffer[] = [];
    for (;;) {
      if (this.buffered < FRAME_HEADER_BYTES) break;
      if (this.chunks[0].length < FRAME_HEADER_BYTES) this.chunks = [Buffer.concat(this.chunks)];
      const length = this.chunks[0].readUInt32LE(0);
      if (this.buffered < FRAME_HEADER_BYTES + length) break;
      const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
      frames.push(all.subarray(FRAME_HEADER_BYTES, FRAME_HEADER_BYTES + length));
      const rest = all.subarray(FRAME_HEADER_BYTES + length);
      this.chunks = rest.length ? [rest] : [];
      this.buffered = rest.length;
    }
    return frames;
  }
}
