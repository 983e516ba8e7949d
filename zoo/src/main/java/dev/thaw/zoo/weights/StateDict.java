package dev.thaw.zoo.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * The tensors of a PyTorch {@code state_dict} saved with {@code torch.save} (the zip format of PyTorch 1.6 and
 * later: {@code NAME/data.pkl} plus one raw little-endian file per storage under {@code NAME/data/}), read in pure
 * Java.
 *
 * <p>A {@code .pth} file is a pickle, and a pickle can name any Python callable to run on load. This reader (on
 * razorvine's unpickler) only ever resolves the handful of globals a state_dict needs: {@code OrderedDict}, the
 * tensor rebuild function and the storage types. Any other global, such as a whole pickled {@code nn.Module}, is
 * refused with a message before anything is built from it, so an untrusted file can at worst fail to load.
 */
public final class StateDict {

    /** One tensor: its shape and its values as floats (integer tensors such as BN's step counters too). */
    public record Tensor(long[] shape, float[] values) {
        @Override
        public String toString() {
            return Arrays.toString(shape);
        }
    }

    private final Map<String, Tensor> tensors;

    private StateDict(Map<String, Tensor> tensors) {
        this.tensors = tensors;
    }

    /** The tensors by state_dict key, in the file's order. */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    /** Reads {@code file}; every failure is a {@link WeightsException} that names the file and the fix. */
    public static StateDict read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new WeightsException("PyTorch file " + file + " does not exist: check the --weights path");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry pickle = zip.stream()
                    .filter(e -> e.getName().endsWith("/data.pkl") || e.getName().equals("data.pkl"))
                    .findFirst().orElseThrow(() -> new WeightsException(file + " is a zip without data.pkl: not a "
                            + "file written by torch.save"));
            String prefix = pickle.getName().substring(0, pickle.getName().length() - "data.pkl".length());
            Object root;
            try (InputStream in = zip.getInputStream(pickle)) {
                root = new SafeUnpickler(zip, prefix, file).load(in);
            }
            return new StateDict(tensorsOf(root, file));
        } catch (java.util.zip.ZipException e) {
            throw new WeightsException(file + " is not in PyTorch's zip format (" + e.getMessage() + "): save it "
                    + "with torch.save(model.state_dict(), path) from PyTorch 1.6 or later (the legacy format of "
                    + "_use_new_zipfile_serialization=False is not read)");
        } catch (IOException | PickleException e) {
            throw new WeightsException(file + " could not be read as a PyTorch state_dict: " + e.getMessage(), e);
        }
    }

    /** The tensor map, also from a checkpoint dict that keeps it under {@code state_dict} or {@code model}. */
    private static Map<String, Tensor> tensorsOf(Object root, Path file) {
        if (root instanceof Map<?, ?> map) {
            for (String wrapper : new String[] {"state_dict", "model"}) {
                if (map.get(wrapper) instanceof Map<?, ?> inner && !inner.isEmpty()) {
                    return tensorsOf(inner, file);
                }
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (e.getValue() instanceof Tensor t) {
                    out.put(String.valueOf(e.getKey()), t);
                } else {
                    throw new WeightsException(file + " is not a state_dict: its entry '" + e.getKey() + "' is not a "
                            + "tensor. Save model.state_dict(), not a training checkpoint with other values");
                }
            }
            if (!out.isEmpty()) {
                return out;
            }
        }
        throw new WeightsException(file + " does not hold a state_dict (a dict of tensors): save it with "
                + "torch.save(model.state_dict(), path)");
    }

    /** A raw storage inside the zip, read once its tensor is rebuilt. */
    private record Storage(DType type, String key, long count) {
    }

    /** The storage types a state_dict may use; anything else is refused. */
    private enum DType implements IObjectConstructor {
        FLOAT(4), HALF(2), DOUBLE(8), LONG(8), INT(4), BFLOAT16(2);

        final int bytes;

        DType(int bytes) {
            this.bytes = bytes;
        }

        @Override
        public Object construct(Object[] args) {
            throw new PickleException("storage types are not called in a state_dict");
        }

        /** IEEE 754 binary16 to float (Java 17 has no {@code Float.float16ToFloat}). */
        static float halfToFloat(short h) {
            int sign = (h & 0x8000) << 16;
            int exponent = (h >>> 10) & 0x1f;
            int mantissa = h & 0x3ff;
            if (exponent == 0x1f) {
                return Float.intBitsToFloat(sign | 0x7f800000 | mantissa << 13);
            }
            if (exponent == 0) {
                float subnormal = mantissa * 0x1p-24f;
                return sign == 0 ? subnormal : -subnormal;
            }
            return Float.intBitsToFloat(sign | (exponent + 112) << 23 | mantissa << 13);
        }

        float read(ByteBuffer b, long index) {
            int at = Math.toIntExact(index * bytes);
            return switch (this) {
                case FLOAT -> b.getFloat(at);
                case HALF -> halfToFloat(b.getShort(at));
                case DOUBLE -> (float) b.getDouble(at);
                case LONG -> b.getLong(at);
                case INT -> b.getInt(at);
                case BFLOAT16 -> Float.intBitsToFloat((b.getShort(at) & 0xffff) << 16);
            };
        }
    }

    /** {@code OrderedDict}: razorvine fills it through SETITEMS and calls {@code __setstate__} for its metadata. */
    public static final class OrderedDict extends LinkedHashMap<Object, Object> {
        public void __setstate__(HashMap<?, ?> state) {
            // torch keeps each module's version under _metadata: not needed to read the tensors
        }
    }

    private static final Map<String, IObjectConstructor> ALLOWED = Map.of(
            "collections.OrderedDict", args -> new OrderedDict(),
            "torch.FloatStorage", DType.FLOAT,
            "torch.HalfStorage", DType.HALF,
            "torch.DoubleStorage", DType.DOUBLE,
            "torch.LongStorage", DType.LONG,
            "torch.IntStorage", DType.INT,
            "torch.BFloat16Storage", DType.BFLOAT16,
            "torch._utils._rebuild_tensor_v2", StateDict::rebuildTensor);

    /** razorvine's unpickler with every global resolved against {@link #ALLOWED} and storages read from the zip. */
    private static final class SafeUnpickler extends Unpickler {
        private final ZipFile zip;
        private final String prefix;
        private final Path file;

        SafeUnpickler(ZipFile zip, String prefix, Path file) {
            this.zip = zip;
            this.prefix = prefix;
            this.file = file;
        }

        @Override
        protected Object dispatch(short key) throws IOException {
            if (key == Opcodes.GLOBAL) {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                stack.add(allowed(module, name));
                return NO_RETURN_VALUE;
            }
            if (key == Opcodes.STACK_GLOBAL) {
                String name = (String) stack.pop();
                String module = (String) stack.pop();
                stack.add(allowed(module, name));
                return NO_RETURN_VALUE;
            }
            if (key == Opcodes.INST || key == Opcodes.OBJ) {
                throw refused("an INST/OBJ instruction");
            }
            if (key == Opcodes.SETITEMS) {
                setItemsInOrder();
                return NO_RETURN_VALUE;
            }
            return super.dispatch(key);
        }

        /** SETITEMS as razorvine does it, but keeping the file's key order (razorvine collects into a HashMap). */
        @SuppressWarnings("unchecked")
        private void setItemsInOrder() {
            List<Object> keysAndValues = stack.pop_all_since_marker(); // k1, v1, k2, v2, ... in file order
            Map<Object, Object> dict = (Map<Object, Object>) stack.peek();
            for (int i = 0; i + 1 < keysAndValues.size(); i += 2) {
                dict.put(keysAndValues.get(i), keysAndValues.get(i + 1));
            }
        }

        private IObjectConstructor allowed(String module, String name) {
            IObjectConstructor c = ALLOWED.get(module + "." + name);
            if (c == null) {
                throw refused("the Python global " + module + "." + name);
            }
            return c;
        }

        private WeightsException refused(String what) {
            return new WeightsException(file + " asks to run " + what + ", which a state_dict never needs; Thaw "
                    + "refuses it (a pickle may run any code). Save the weights with torch.save(model.state_dict(), "
                    + "path) rather than the whole model");
        }

        @Override
        protected Object persistentLoad(Object pid) {
            // ('storage', storage type, key, location, element count)
            if (!(pid instanceof Object[] t) || t.length < 5 || !"storage".equals(t[0])
                    || !(t[1] instanceof DType type)) {
                throw new PickleException("unexpected persistent id " + describe(pid));
            }
            return new Storage(type, String.valueOf(t[2]), ((Number) t[4]).longValue());
        }

        @Override
        public Object load(InputStream stream) throws IOException {
            Object root = super.load(stream);
            return resolveStorages(root);
        }

        /** Replaces each rebuilt tensor's storage reference by its values, reading each storage once. */
        private Object resolveStorages(Object root) throws IOException {
            Map<String, ByteBuffer> read = new HashMap<>();
            if (root instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<Object, Object> m = (Map<Object, Object>) map;
                for (Map.Entry<Object, Object> e : m.entrySet()) {
                    if (e.getValue() instanceof PendingTensor p) {
                        e.setValue(p.materialize(bytes(p.storage(), read)));
                    } else if (e.getValue() instanceof Map<?, ?>) {
                        e.setValue(resolveStorages(e.getValue()));
                    }
                }
            }
            return root;
        }

        private ByteBuffer bytes(Storage s, Map<String, ByteBuffer> read) throws IOException {
            ByteBuffer cached = read.get(s.key());
            if (cached != null) {
                return cached;
            }
            ZipEntry entry = zip.getEntry(prefix + "data/" + s.key());
            if (entry == null) {
                throw new WeightsException(file + " is incomplete: storage data/" + s.key() + " is missing");
            }
            byte[] data;
            try (InputStream in = zip.getInputStream(entry)) {
                data = in.readAllBytes();
            }
            if (data.length < s.count() * s.type().bytes) {
                throw new WeightsException(file + " is truncated: storage data/" + s.key() + " has " + data.length
                        + " bytes, " + s.count() * s.type().bytes + " expected");
            }
            ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            read.put(s.key(), b);
            return b;
        }
    }

    /** A tensor whose storage has not been read yet: {@code _rebuild_tensor_v2}'s arguments. */
    private record PendingTensor(Storage storage, long offset, long[] shape, long[] stride) {
        Tensor materialize(ByteBuffer data) {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            float[] values = new float[Math.toIntExact(n)];
            long[] index = new long[shape.length];
            for (int i = 0; i < values.length; i++) {
                long at = offset;
                for (int d = 0; d < shape.length; d++) {
                    at += index[d] * stride[d];
                }
                if (at >= storage.count()) {
                    throw new WeightsException("a tensor reaches past its storage (element " + at + " of "
                            + storage.count() + "): the file is damaged");
                }
                values[i] = storage.type().read(data, at);
                for (int d = shape.length - 1; d >= 0; d--) { // row-major odometer over the shape
                    if (++index[d] < shape[d]) {
                        break;
                    }
                    index[d] = 0;
                }
            }
            return new Tensor(shape, values);
        }
    }

    /** {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])}. */
    private static Object rebuildTensor(Object[] args) {
        if (args.length < 4 || !(args[0] instanceof Storage storage)) {
            throw new PickleException("unexpected tensor arguments " + describe(args));
        }
        return new PendingTensor(storage, ((Number) args[1]).longValue(), longs(args[2]), longs(args[3]));
    }

    private static long[] longs(Object tuple) {
        Object[] items = (Object[]) tuple;
        long[] out = new long[items.length];
        for (int i = 0; i < items.length; i++) {
            out[i] = ((Number) items[i]).longValue();
        }
        return out;
    }

    private static String describe(Object o) {
        return o instanceof Object[] a ? Arrays.deepToString(a) : String.valueOf(o);
    }
}
