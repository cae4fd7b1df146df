package io.tapeflow.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The block sizes of the packed product, chosen from the data caches of the CPU it runs on (after BLIS's rules): KC
 * terms as long as one micro-tile's A and B panels allow in half of L2, the MC×KC block of A in half of L2, the KC×NC
 * block of B in half of this core's share of L3. Any choice gives the same bits (each element's terms are summed in
 * the same order whatever the blocks: see {@link MatMulKernels}), so this is a matter of speed only.
 *
 * @param kc terms per block
 * @param mc rows per block (a multiple of the micro-tile's rows)
 * @param nc columns per block (a multiple of the micro-tile's columns)
 * @param caches what the choice was made from
 */
record CacheBlocking(int kc, int mc, int nc, Caches caches) {

    /**
     * KC: the most terms (up to 1024) for which one micro-tile's A and B panels fit in half of L2. Each kernel call
     * loads and stores its tile of C once per block of terms, and Java cannot prefetch those lines, so a few long
     * blocks beat BLIS's rule of a B panel that fits in L1d: on Zen 3 (AVX2), a 1024 × 1024 product's best JMH
     * iterations ran 10–32 % faster with kc 1024 than with kc 256 in four interleaved pairs (MatmulBenchmarks
     * .termBlocks; the panels stream from L2 at a fifth of its bandwidth). On AVX-512 the rule gives 1024 too: on
     * Zen 4 (12×32 tile, L2 1 MiB) the 1024 × 1024 product's medians ran 12–13 % faster with kc 1024 than with
     * kc 256 in two runs (2026-12-04; the Xeon is not measured with it).
     */
    private static final int KC_MAX = 1024;
    private static final int KC_MIN = 64;
    /** Beyond these, larger blocks gain nothing measurable and cost scratch memory on every thread that multiplies. */
    private static final int MC_TILES_MAX = 64;
    private static final int NC_MAX = 1024;

    /**
     * @param mr rows of the micro-tile
     * @param aStride floats per term in a packed panel of A (at least mr: the panel may be padded)
     * @param nr columns of the micro-tile
     */
    static CacheBlocking forTile(Caches caches, int mr, int aStride, int nr) {
        return forTile(caches, mr, aStride, nr, KC_MAX);
    }

    /** The same rules with at most {@code kcMax} terms per block (benchmarks compare term blocks with it). */
    static CacheBlocking forTile(Caches caches, int mr, int aStride, int nr, int kcMax) {
        int kc = Math.max(KC_MIN, Math.min(KC_MAX, kcMax));
        while (kc > KC_MIN && (long) kc * (nr + aStride) * Float.BYTES > caches.l2() / 2) {
            kc /= 2;
        }
        long blockTerms = (long) kc * Float.BYTES;
        int mc = clamp(caches.l2() / 2 / blockTerms / aStride, 4, MC_TILES_MAX) * mr;
        int nc = clamp(caches.l3PerCore() / 2 / blockTerms / nr, 8, NC_MAX / nr) * nr;
        return new CacheBlocking(kc, mc, nc, caches);
    }

    private static int clamp(long value, int min, int max) {
        return (int) Math.max(min, Math.min(max, value));
    }

    @Override
    public String toString() {
        return "kc " + kc + ", mc " + mc + ", nc " + nc + " (" + caches + ")";
    }

    /**
     * The data caches of CPU 0 as Linux reports them under {@code /sys/devices/system/cpu/cpu0/cache}, or, where
     * it reports none (another OS, a container hiding sysfs), typical x86-64 figures, saying so.
     *
     * @param l3SharedBy the logical CPUs that share one L3
     */
    record Caches(long l1d, long l2, long l3, int l3SharedBy, boolean reported) {

        static final Caches TYPICAL = new Caches(32 << 10, 512 << 10, 16 << 20, 8, false);

        long l3PerCore() {
            return l3 / Math.max(1, l3SharedBy);
        }

        static Caches detect() {
            return detect(Path.of("/sys/devices/system/cpu/cpu0/cache"));
        }

        static Caches detect(Path dir) {
            long l1d = 0;
            long l2 = 0;
            long l3 = 0;
            int shared = 1;
            for (int index = 0; Files.isDirectory(dir.resolve("index" + index)); index++) {
                Path cache = dir.resolve("index" + index);
                String type = read(cache.resolve("type"));
                if ("Instruction".equals(type)) {
                    continue;
                }
                long size = bytes(read(cache.resolve("size")));
                switch (read(cache.resolve("level"))) {
                    case "1" -> l1d = size;
                    case "2" -> l2 = size;
                    case "3" -> {
                        l3 = size;
                        shared = cpus(read(cache.resolve("shared_cpu_list")));
                    }
                    default -> { } // an L4 (eDRAM) changes nothing here
                }
            }
            if (l1d <= 0 || l2 <= 0) {
                return TYPICAL;
            }
            return new Caches(l1d, l2, l3 > 0 ? l3 : l2, l3 > 0 ? shared : 1, true);
        }

        private static String read(Path file) {
            try {
                return Files.readString(file).trim();
            } catch (IOException | RuntimeException e) {
                return "";
            }
        }

        /** "32K", "1024K", "32M" (sysfs's units are binary). */
        static long bytes(String size) {
            if (size.isEmpty()) {
                return 0;
            }
            char unit = Character.toUpperCase(size.charAt(size.length() - 1));
            String digits = Character.isDigit(unit) ? size : size.substring(0, size.length() - 1);
            long scale = switch (unit) {
                case 'K' -> 1L << 10;
                case 'M' -> 1L << 20;
                case 'G' -> 1L << 30;
                default -> 1;
            };
            try {
                return Long.parseLong(digits) * scale;
            } catch (NumberFormatException e) {
                return 0;
            }
        }

        /** The number of CPUs in a list such as "0-1", "0-7,16-23" or "3". */
        static int cpus(String list) {
            int count = 0;
            for (String range : list.split(",")) {
                if (range.isBlank()) {
                    continue;
                }
                String[] ends = range.trim().split("-");
                try {
                    count += ends.length == 2 ? Integer.parseInt(ends[1]) - Integer.parseInt(ends[0]) + 1 : 1;
                } catch (NumberFormatException e) {
                    return Math.max(1, count);
                }
            }
            return Math.max(1, count);
        }

        @Override
        public String toString() {
            return (reported ? "" : "not reported; assumed ") + "L1d " + kib(l1d) + ", L2 " + kib(l2) + ", L3 "
                    + kib(l3) + " shared by " + l3SharedBy + " CPUs";
        }

        private static String kib(long size) {
            return size >= 1 << 20 && size % (1 << 20) == 0 ? (size >> 20) + " MiB" : (size >> 10) + " KiB";
        }
    }
}
