package io.tapeflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Blocks chosen from the caches the OS reports, and the claim that any blocks give the same bits. */
class CacheBlockingTests {

    @TempDir
    Path sysfs;

    @Test
    void readsTheDataCachesAndTheL3SharingFromSysfs() throws IOException {
        cache(0, "1", "Data", "32K", "0");
        cache(1, "1", "Instruction", "32K", "0");
        cache(2, "2", "Unified", "512K", "0");
        cache(3, "3", "Unified", "32768K", "0-1");

        CacheBlocking.Caches caches = CacheBlocking.Caches.detect(sysfs);

        assertThat(caches).isEqualTo(new CacheBlocking.Caches(32 << 10, 512 << 10, 32 << 20, 2, true));
        assertThat(caches.toString()).isEqualTo("L1d 32 KiB, L2 512 KiB, L3 32 MiB shared by 2 CPUs");
    }

    @Test
    void withoutSysfsItAssumesTypicalCachesAndSaysSo() {
        CacheBlocking.Caches caches = CacheBlocking.Caches.detect(sysfs.resolve("absent"));

        assertThat(caches).isEqualTo(CacheBlocking.Caches.TYPICAL);
        assertThat(caches.toString()).startsWith("not reported; assumed L1d 32 KiB");
    }

    @Test
    void parsesSysfsSizesAndCpuLists() {
        assertThat(CacheBlocking.Caches.bytes("48K")).isEqualTo(48 << 10);
        assertThat(CacheBlocking.Caches.bytes("2048K")).isEqualTo(2 << 20);
        assertThat(CacheBlocking.Caches.bytes("32M")).isEqualTo(32 << 20);
        assertThat(CacheBlocking.Caches.bytes("")).isZero();
        assertThat(CacheBlocking.Caches.cpus("0-1")).isEqualTo(2);
        assertThat(CacheBlocking.Caches.cpus("0-7,16-23")).isEqualTo(16);
        assertThat(CacheBlocking.Caches.cpus("3")).isEqualTo(1);
    }

    /**
     * The CPUs of issue #15: AMD Zen 3 with AVX2 (5×16 tiles, A panels padded to 8 floats per term), Intel Xeon and
     * AMD Zen 4 with AVX-512 (12×32).
     */
    @Test
    void blocksFollowTheCaches() {
        CacheBlocking.Caches zen3Caches = new CacheBlocking.Caches(32 << 10, 512 << 10, 32 << 20, 2, true);
        CacheBlocking zen3 = CacheBlocking.forTile(zen3Caches, 5, 8, 16);
        assertThat(zen3).extracting(CacheBlocking::kc, CacheBlocking::mc, CacheBlocking::nc)
                .containsExactly(1024, 40, 1024);
        // At most 256 terms (as benchmarks compare): the A block keeps its half of L2 with four times the rows.
        assertThat(CacheBlocking.forTile(zen3Caches, 5, 8, 16, 256))
                .extracting(CacheBlocking::kc, CacheBlocking::mc, CacheBlocking::nc)
                .containsExactly(256, 160, 1024);

        CacheBlocking xeon = CacheBlocking.forTile(new CacheBlocking.Caches(48 << 10, 2 << 20, 480L << 20, 2, true),
                12, 12, 32);
        assertThat(xeon).extracting(CacheBlocking::kc, CacheBlocking::mc, CacheBlocking::nc)
                .containsExactly(1024, 252, 1024);

        CacheBlocking zen4 = CacheBlocking.forTile(new CacheBlocking.Caches(32 << 10, 1 << 20, 32 << 20, 2, true),
                12, 12, 32);
        assertThat(zen4).extracting(CacheBlocking::kc, CacheBlocking::mc, CacheBlocking::nc)
                .containsExactly(1024, 120, 1024);

        // Half of a 128 KiB L2 cannot hold 1024 or 512 terms of a 12×32 tile's panels (176 bytes a term): 256.
        CacheBlocking small = CacheBlocking.forTile(new CacheBlocking.Caches(32 << 10, 128 << 10, 8 << 20, 8, true),
                12, 12, 32);
        assertThat(small.kc()).isEqualTo(256);
        assertThat(small.mc() % 12).isZero();
        assertThat(small.nc() % 32).isZero();
    }

    @Test
    void everyBlockingGivesTheSameBits() {
        assumeTrue(MatMulKernels.vectorized(), "the vector kernel is not loaded");
        int m = 131;
        int k = 517;
        int n = 203;
        Rng rng = new Rng(15);
        float[] a = Tensor.uniform(rng, -1, 1, m * k).toArray();
        float[] b = Tensor.uniform(rng, -1, 1, k * n).toArray();
        float[] reference = new float[m * n];
        MatMulKernels.small(a, 0, b, 0, reference, 0, m, k, n, false, false);
        CacheBlocking.Caches caches = CacheBlocking.Caches.TYPICAL;
        for (int[] blocks : new int[][] {{64, 6, 16}, {256, 96, 256}, {128, 30, 64}, {512, 384, 1024},
                {1024, 36, 1024}}) {
            for (int layout = 0; layout < 4; layout++) {
                boolean transposeA = (layout & 2) != 0;
                boolean transposeB = (layout & 1) != 0;
                float[] at = transposeA ? transpose(a, m, k) : a;
                float[] bt = transposeB ? transpose(b, k, n) : b;
                float[] c = new float[m * n];
                VectorMatMul.multiply(new CacheBlocking(blocks[0], blocks[1] / 6 * VectorMatMul.MR,
                        blocks[2] / 16 * VectorMatMul.NR,
                        caches), at, 0, bt, 0, c, 0, m, k, n, transposeA, transposeB, 0, m, 0, n);
                assertThat(MatMulKernelsTests.bits(c))
                        .as("blocks %s, transposed A %s, transposed B %s", Arrays.toString(blocks), transposeA,
                                transposeB)
                        .isEqualTo(MatMulKernelsTests.bits(reference));
            }
        }
    }

    private void cache(int index, String level, String type, String size, String shared) throws IOException {
        Path dir = Files.createDirectories(sysfs.resolve("index" + index));
        Files.writeString(dir.resolve("level"), level + "\n");
        Files.writeString(dir.resolve("type"), type + "\n");
        Files.writeString(dir.resolve("size"), size + "\n");
        Files.writeString(dir.resolve("shared_cpu_list"), shared + "\n");
    }

    private static float[] transpose(float[] x, int rows, int cols) {
        float[] t = new float[x.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = x[i * cols + j];
            }
        }
        return t;
    }
}
