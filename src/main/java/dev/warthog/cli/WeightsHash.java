package dev.warthog.cli;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of the raw IEEE-754 bits of the weights (big-endian), as hex: equal hashes mean bit-identical weights. */
final class WeightsHash {
    private WeightsHash() {}

    static String of(double[] w) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[8];
            for (double v : w) {
                long bits = Double.doubleToRawLongBits(v);
                for (int b = 0; b < 8; b++) buf[b] = (byte) (bits >>> (56 - 8 * b));
                md.update(buf);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
