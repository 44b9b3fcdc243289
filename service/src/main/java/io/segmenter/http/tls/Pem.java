package io.segmenter.http.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading of PEM files (RFC 7468): certificates, and private keys in PKCS#8 ({@code BEGIN PRIVATE
 * KEY}) or, for RSA, PKCS#1 ({@code BEGIN RSA PRIVATE KEY}). Every error names the file.
 */
final class Pem {
  /** What to tell someone whose key is in a format the JDK cannot read. */
  static final String CONVERT_KEY =
      "convert it to unencrypted PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in <key> -out <key.pkcs8.pem>";

  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
  /** The algorithms a PKCS#8 key may be in, tried in this order. */
  private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "EdDSA");
  /** AlgorithmIdentifier rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters, DER. */
  private static final byte[] RSA_ALGORITHM_IDENTIFIER = {
    0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00
  };

  private record Block(String type, String body) {}

  private Pem() { }

  /** Every certificate in {@code file}, in file order; at least one. */
  static List<X509Certificate> certificates(Path file, String what) {
    List<Block> blocks = blocks(file, what);
    List<X509Certificate> result = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (Block block : blocks) {
        if (block.type().equals("CERTIFICATE")) {
          byte[] der = decode(block, file);
          result.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
        }
      }
    } catch (CertificateException e) {
      throw new TlsConfigException("The " + what + " " + file + " holds a certificate that cannot be parsed: "
          + e.getMessage(), e);
    }
    if (result.isEmpty()) {
      throw new TlsConfigException("The " + what + " " + file + " holds no certificate (expected one or more "
          + "'-----BEGIN CERTIFICATE-----' blocks)" + found(blocks));
    }
    return result;
  }

  /** The one private key in {@code file}. */
  static PrivateKey privateKey(Path file, String what) {
    List<Block> blocks = blocks(file, what);
    List<Block> keys = blocks.stream().filter(b -> b.type().endsWith("PRIVATE KEY")).toList();
    if (keys.isEmpty()) {
      throw new TlsConfigException("The " + what + " " + file + " holds no private key (expected "
          + "'-----BEGIN PRIVATE KEY-----', unencrypted PKCS#8)" + found(blocks));
    }
    if (keys.size() > 1) {
      throw new TlsConfigException("The " + what + " " + file + " holds " + keys.size()
          + " private keys: keep only the one that belongs to the certificate");
    }
    Block key = keys.get(0);
    boolean encrypted = key.type().startsWith("ENCRYPTED") || key.body().contains("ENCRYPTED");
    if (encrypted) {
      throw new TlsConfigException("The " + what + " " + file + " is encrypted: " + CONVERT_KEY);
    }
    return switch (key.type()) {
      case "PRIVATE KEY" -> pkcs8(decode(key, file), file, what);
      // PKCS#1 is the same key inside a PKCS#8 envelope away; the EC (SEC 1) form would need its
      // curve parsed out of the DER, which is not worth a parser here.
      case "RSA PRIVATE KEY" -> pkcs8(pkcs1ToPkcs8(decode(key, file)), file, what);
      default -> throw new TlsConfigException("The " + what + " " + file + " holds a '" + key.type()
          + "', which is not supported: " + CONVERT_KEY);
    };
  }

  private static PrivateKey pkcs8(byte[] der, Path file, String what) {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // not this algorithm: try the next
      }
    }
    throw new TlsConfigException("The " + what + " " + file + " holds a private key that is not an "
        + String.join(", ", KEY_ALGORITHMS) + " key in PKCS#8, or is damaged: " + CONVERT_KEY);
  }

  /** PrivateKeyInfo ::= SEQUENCE { version 0, rsaEncryption, OCTET STRING { RSAPrivateKey } }. */
  static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    content.writeBytes(new byte[] {0x02, 0x01, 0x00});
    content.writeBytes(RSA_ALGORITHM_IDENTIFIER);
    content.writeBytes(derHeader(0x04, pkcs1.length));
    content.writeBytes(pkcs1);
    ByteArrayOutputStream info = new ByteArrayOutputStream();
    info.writeBytes(derHeader(0x30, content.size()));
    info.writeBytes(content.toByteArray());
    return info.toByteArray();
  }

  private static byte[] derHeader(int tag, int length) {
    if (length < 0x80) {
      return new byte[] {(byte) tag, (byte) length};
    }
    int octets = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
    byte[] header = new byte[2 + octets];
    header[0] = (byte) tag;
    header[1] = (byte) (0x80 | octets);
    for (int i = 0; i < octets; i++) {
      header[2 + i] = (byte) (length >>> (8 * (octets - 1 - i)));
    }
    return header;
  }

  private static List<Block> blocks(Path file, String what) {
    String text = read(file, what);
    List<Block> blocks = new ArrayList<>();
    Matcher matcher = BLOCK.matcher(text);
    while (matcher.find()) {
      blocks.add(new Block(matcher.group(1), matcher.group(2)));
    }
    return blocks;
  }

  private static byte[] decode(Block block, Path file) {
    try {
      return Base64.getMimeDecoder().decode(block.body());
    } catch (IllegalArgumentException e) {
      throw new TlsConfigException("The '" + block.type() + "' block of " + file + " is not valid base64", e);
    }
  }

  private static String found(List<Block> blocks) {
    if (blocks.isEmpty()) {
      return "; it holds no PEM block at all: is it a keystore (PKCS12/JKS) or DER?";
    }
    return "; it holds: " + blocks.stream().map(Block::type).distinct().toList()
        + " (are the certificate and key files swapped?)";
  }

  static String read(Path file, String what) {
    if (!Files.isRegularFile(file)) {
      throw new TlsConfigException("The " + what + " " + file + " does not exist (or is not a file)");
    }
    try {
      return Files.readString(file, StandardCharsets.ISO_8859_1); // PEM is ASCII; never fails to decode
    } catch (IOException e) {
      throw new TlsConfigException("Cannot read the " + what + " " + file + ": " + e.getMessage(), e);
    }
  }
}
