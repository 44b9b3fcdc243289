package io.segmenter.serde;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Avro 1.12 refuses to load classes from untrusted packages when it builds readers from a schema
 * (a defence against gadget classes named in attacker-supplied schemas). A class the application
 * passes explicitly to a serde is trusted by definition, so its package and the packages of the
 * named types its schema uses are added to Avro's global validator here: the application needs no
 * {@code org.apache.avro.SERIALIZABLE_PACKAGES} system property for them.
 *
 * <p>Classes found only through a writer's schema ({@code specific.avro.reader=true} without a
 * class) are not trusted here: those are exactly what the check protects against.
 */
public final class AvroClassTrust {
  private static final Set<String> TRUSTED_PACKAGES = ConcurrentHashMap.newKeySet();
  private static final ClassSecurityPredicate OURS = AvroClassTrust::isTrusted;
  /** The global predicate we last installed; if someone replaced it since, we install again. */
  private static ClassSecurityPredicate installed;

  private AvroClassTrust() {}

  /**
   * Trusts a generated record class the application uses itself (its package and those of the
   * named types in its schema), for code that reads Avro without a serde. Idempotent.
   */
  public static void trust(Class<? extends org.apache.avro.specific.SpecificRecord> recordClass) {
    trust(recordClass, SpecificData.get().getSchema(recordClass));
  }

  /** Idempotent and thread-safe; cheap once the packages are trusted. */
  static void trust(Class<?> recordClass, Schema schema) {
    Set<String> packages = packagesOf(recordClass, schema);
    synchronized (AvroClassTrust.class) {
      TRUSTED_PACKAGES.addAll(packages);
      ClassSecurityPredicate current = ClassSecurityValidator.getGlobal();
      if (current != installed) {
        // Keep whatever was there (system properties, the application's own rules) and add ours.
        installed = ClassSecurityValidator.composite(current, OURS);
        ClassSecurityValidator.setGlobal(installed);
      }
    }
  }

  static boolean isTrusted(Class<?> clazz) {
    return TRUSTED_PACKAGES.contains(clazz.getPackageName());
  }

  private static Set<String> packagesOf(Class<?> recordClass, Schema schema) {
    Set<String> packages = new HashSet<>();
    packages.add(recordClass.getPackageName());
    collect(schema, packages, new HashSet<>());
    return packages;
  }

  private static void collect(Schema schema, Set<String> packages, Set<String> seen) {
    switch (schema.getType()) {
      case RECORD:
        if (!seen.add(schema.getFullName())) {
          return;
        }
        addPackage(schema, packages);
        schema.getFields().forEach(field -> collect(field.schema(), packages, seen));
        break;
      case ENUM:
      case FIXED:
        addPackage(schema, packages);
        break;
      case ARRAY:
        collect(schema.getElementType(), packages, seen);
        break;
      case MAP:
        collect(schema.getValueType(), packages, seen);
        break;
      case UNION:
        schema.getTypes().forEach(branch -> collect(branch, packages, seen));
        break;
      default:
        break;
    }
  }

  private static void addPackage(Schema named, Set<String> packages) {
    String className = SpecificData.getClassName(named);
    int dot = className.lastIndexOf('.');
    if (dot > 0) {
      packages.add(className.substring(0, dot));
    }
  }
}
