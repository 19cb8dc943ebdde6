package org.vlab.ipam.api.auth;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the RS256 verification key from PEM text: a {@code PUBLIC KEY} (SubjectPublicKeyInfo,
 * what {@code openssl rsa -pubout} writes) or a {@code CERTIFICATE}. Literal {@code \n}
 * sequences are accepted, since a PEM in an environment variable is often written on one line.
 */
final class RsaPublicKeyPem {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final int MIN_BITS = 2048;

    private RsaPublicKeyPem() {
    }

    static RSAPublicKey parse(String pem) {
        String text = pem == null ? "" : pem.replace("\\n", "\n").replace("\\r", "");
        Matcher block = BLOCK.matcher(text);
        if (!block.find()) {
            throw new IllegalArgumentException("not a PEM block (-----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----)");
        }
        String type = block.group(1);
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(block.group(2).replaceAll("\\s", ""));
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalArgumentException("the PEM block's body is not base64");
        }
        PublicKey key = switch (type) {
            case "PUBLIC KEY" -> decodeKey(der);
            case "CERTIFICATE" -> decodeCertificate(der);
            case "RSA PUBLIC KEY" -> throw new IllegalArgumentException("PKCS#1 'RSA PUBLIC KEY' is not supported; convert it with "
                    + "'openssl rsa -RSAPublicKey_in -pubout' to a 'PUBLIC KEY'");
            default -> throw new IllegalArgumentException("a PEM '" + type + "' is no public key; expected 'PUBLIC KEY'");
        };
        if (!(key instanceof RSAPublicKey rsa)) {
            throw new IllegalArgumentException("the key is " + key.getAlgorithm() + ", not RSA as RS256 needs");
        }
        if (rsa.getModulus().bitLength() < MIN_BITS) {
            throw new IllegalArgumentException("the RSA key has " + rsa.getModulus().bitLength()
                    + " bits; RS256 needs at least " + MIN_BITS);
        }
        return rsa;
    }

    private static PublicKey decodeKey(byte[] der) {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the PEM 'PUBLIC KEY' is not an RSA public key: " + e.getMessage());
        }
    }

    private static PublicKey decodeCertificate(byte[] der) {
        try {
            return CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the PEM 'CERTIFICATE' cannot be read: " + e.getMessage());
        }
    }
}
