package dev.warthog.kernel;

import dev.warthog.data.Row;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.logging.Logger;

/**
 * Chooses the kernel implementation once, at class initialisation (holder idiom): the
 * Vector API one when {@code jdk.incubator.vector} is in the module graph, else the scalar
 * twin. The Panama class is loaded by name so scalar runs never link incubator classes.
 * {@code -Dwarthog.kernels=scalar} forces the scalar twin.
 */
public final class Kernels {
    private static final Logger LOG = Logger.getLogger(Kernels.class.getName());

    private Kernels() {}

    private static final class Holder {
        static final VectorKernels INSTANCE = choose();
    }

    /** The implementation chosen for this JVM. */
    public static VectorKernels get() { return Holder.INSTANCE; }

    /** The scalar twin, whatever was chosen. */
    public static VectorKernels scalar() { return ScalarKernels.INSTANCE; }

    /** True when the Vector API implementation is in use. */
    public static boolean vectorized() { return get() != ScalarKernels.INSTANCE; }

    /** The Vector API implementation, or null when the module is absent. */
    public static VectorKernels panamaOrNull() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) return null;
        try {
            Class<?> c = Class.forName("dev.warthog.kernel.PanamaKernels");
            return (VectorKernels) MethodHandles.lookup()
                    .findConstructor(c, MethodType.methodType(void.class)).invoke();
        } catch (Throwable t) {
            LOG.warning("Vector API kernels unavailable (" + t + "); using scalar kernels");
            return null;
        }
    }

    private static VectorKernels choose() {
        if ("scalar".equals(System.getProperty("warthog.kernels"))) {
            LOG.fine("warthog: scalar kernels (forced by -Dwarthog.kernels=scalar)");
            return ScalarKernels.INSTANCE;
        }
        VectorKernels p = panamaOrNull();
        if (p == null) {
            LOG.info("warthog: scalar kernels; add --add-modules jdk.incubator.vector to use the Vector API");
            return ScalarKernels.INSTANCE;
        }
        LOG.info("warthog: Vector API kernels " + p.name());
        return p;
    }

    // ---- row helpers: one entry point for dense and sparse rows ----

    /** x_i . w for a row view. */
    public static double dot(Row r, double[] w) {
        VectorKernels k = get();
        return r.indices == null ? k.dot(r.values, r.offset, w, 0, r.nnz)
                                 : k.sparseDot(r.values, r.indices, r.offset, r.nnz, w);
    }

    /** w += alpha * x_i for a row view. */
    public static void axpy(double alpha, Row r, double[] w) {
        VectorKernels k = get();
        if (r.indices == null) k.axpy(alpha, r.values, r.offset, w, 0, r.nnz);
        else k.sparseAxpy(alpha, r.values, r.indices, r.offset, r.nnz, w);
    }
}
