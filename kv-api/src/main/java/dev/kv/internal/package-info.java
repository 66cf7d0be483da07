/**
 * Not API: what the backends ({@code dev.kv.jpa}, {@code dev.kv.memory}) share, public only so that
 * both packages can reach it. The {@link dev.kv.internal.OperationFront} is the per-operation front
 * every store runs before touching its data: argument checks, JSON validation ({@link
 * dev.kv.internal.JsonCheck}), the clock and expiry instants; {@link dev.kv.internal.OperationCounters}
 * are the counters behind {@link dev.kv.KvStore#stats()}. It may change in any release.
 */
package dev.kv.internal;
