package io.segmenter.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segmenter.serde.registry.CompatibilityLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The store's rules without HTTP: ids, versions, compatibility levels, soft delete. */
class SchemaStoreTest {

  /** V2_WITH_DEFAULT may follow V1 under every level; the other two depend on the level. */
  @ParameterizedTest
  @CsvSource({
    // level,               V1 -> V2_NO_DEFAULT accepted?, V1 -> V1_ID_AS_INT accepted?
    "NONE,                  true,  true",
    "BACKWARD,              false, false",
    "BACKWARD_TRANSITIVE,   false, false",
    "FORWARD,               true,  false",
    "FORWARD_TRANSITIVE,    true,  false",
    "FULL,                  false, false",
    "FULL_TRANSITIVE,       false, false"
  })
  void levelsDecideWhatMayFollowV1(CompatibilityLevel level, boolean noDefaultAccepted, boolean typeChangeAccepted) {
    assertThat(accepted(level, Schemas.V1, Schemas.V2_WITH_DEFAULT)).isTrue();
    assertThat(accepted(level, Schemas.V1, Schemas.V2_NO_DEFAULT)).isEqualTo(noDefaultAccepted);
    assertThat(accepted(level, Schemas.V1, Schemas.V1_ID_AS_INT)).isEqualTo(typeChangeAccepted);
  }

  @Test
  void forwardRefusesRemovingAFieldOldReadersNeed() {
    // Old readers of V2_NO_DEFAULT need "segment" and have no default for it.
    assertThat(accepted(CompatibilityLevel.FORWARD, Schemas.V2_NO_DEFAULT, Schemas.V1)).isFalse();
    // BACKWARD: the new reader (V1) just ignores the removed field.
    assertThat(accepted(CompatibilityLevel.BACKWARD, Schemas.V2_NO_DEFAULT, Schemas.V1)).isTrue();
  }

  @Test
  void transitiveLevelsCheckEveryVersionOthersOnlyTheLatest() {
    for (CompatibilityLevel level : new CompatibilityLevel[] {CompatibilityLevel.BACKWARD, CompatibilityLevel.BACKWARD_TRANSITIVE}) {
      SchemaStore store = new SchemaStore(level);
      store.register("s", Schemas.V1);
      store.register("s", Schemas.V2_WITH_DEFAULT);
      boolean accepted = tryRegister(store, "s", Schemas.V2_NO_DEFAULT);
      assertThat(accepted).as(level.name()).isEqualTo(level == CompatibilityLevel.BACKWARD);
    }
  }

  @Test
  void refusalCarries409AndTheAvroDetails() {
    SchemaStore store = new SchemaStore(CompatibilityLevel.BACKWARD);
    store.register("customers-value", Schemas.V1);
    assertThatThrownBy(() -> store.register("customers-value", Schemas.V2_NO_DEFAULT))
        .isInstanceOfSatisfying(
            RegistryException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(409);
              assertThat(e.errorCode()).isEqualTo(409);
              assertThat(e.getMessage())
                  .contains("subject \"customers-value\"")
                  .contains("READER_FIELD_MISSING_DEFAULT_VALUE")
                  .contains("/fields/1")
                  .contains("{compatibility: 'BACKWARD'}");
            });
    assertThat(store.versions("customers-value")).containsExactly(1);
  }

  @Test
  void subjectLevelOverridesTheGlobalOneUntilDeleted() {
    SchemaStore store = new SchemaStore(CompatibilityLevel.BACKWARD);
    store.register("s", Schemas.V1);
    store.setSubjectLevel("s", CompatibilityLevel.NONE);
    assertThat(store.checkCompatibility("s", "latest", Schemas.V1_ID_AS_INT)).isEmpty();

    assertThat(store.deleteSubjectLevel("s")).isEqualTo(CompatibilityLevel.NONE);
    assertThat(store.subjectLevel("s")).isEmpty();
    assertThat(store.checkCompatibility("s", "latest", Schemas.V1_ID_AS_INT)).isNotEmpty();
  }

  @Test
  void idsAreGlobalAndReusedForTheSameCanonicalSchema() {
    SchemaStore store = new SchemaStore(CompatibilityLevel.NONE);
    int a = store.register("a", Schemas.V1);
    int b = store.register("b", Schemas.ORDER);
    int aAgain = store.register("a", Schemas.V1_REFORMATTED);
    int c = store.register("c", Schemas.V1);

    assertThat(a).isEqualTo(1);
    assertThat(b).isEqualTo(2);
    assertThat(aAgain).isEqualTo(a);
    assertThat(c).isEqualTo(a);
    assertThat(store.versions("a")).containsExactly(1);
    assertThat(store.subjectVersionsOfId(a))
        .extracting(SchemaStore.SubjectVersion::subject)
        .containsExactly("a", "c");
  }

  @Test
  void reRegisteringAnOlderVersionReturnsItsIdWithoutCheckOrNewVersion() {
    SchemaStore store = new SchemaStore(CompatibilityLevel.BACKWARD);
    int v1 = store.register("s", Schemas.V1);
    store.register("s", Schemas.V2_WITH_DEFAULT);
    assertThat(store.register("s", Schemas.V1)).isEqualTo(v1);
    assertThat(store.versions("s")).containsExactly(1, 2);
    assertThat(store.version("s", "latest").version()).isEqualTo(2);
  }

  @Test
  void softDeleteHidesTheSubjectButKeepsIds() {
    SchemaStore store = new SchemaStore(CompatibilityLevel.BACKWARD);
    int id = store.register("s", Schemas.V1);
    assertThat(store.deleteSubject("s")).containsExactly(1);

    assertThat(store.subjects()).isEmpty();
    assertThat(store.schemaById(id)).contains("Customer");
    assertThat(store.subjectVersionsOfId(id)).isEmpty();
    assertThat(store.checkCompatibility("s", "latest", Schemas.V1_ID_AS_INT))
        .as("no live version to be incompatible with")
        .isEmpty();
    assertThatThrownBy(() -> store.version("s", "1"))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40401));
  }

  @Test
  void invalidInputsMapToConfluentCodes() {
    SchemaStore store = new SchemaStore(CompatibilityLevel.BACKWARD);
    assertThat(codeOf(() -> store.register("s", "not json"))).isEqualTo(42201);
    assertThat(codeOf(() -> store.register("s", ""))).isEqualTo(42201);
    assertThat(codeOf(() -> store.register("s", "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"f\",\"type\":\"int\",\"default\":\"x\"}]}")))
        .as("bad default")
        .isEqualTo(42201);
    assertThat(codeOf(() -> store.schemaById(5))).isEqualTo(40403);
    assertThat(codeOf(() -> store.versions("nobody"))).isEqualTo(40401);
    store.register("s", Schemas.V1);
    assertThat(codeOf(() -> store.version("s", "2"))).isEqualTo(40402);
    assertThat(codeOf(() -> store.version("s", "x"))).isEqualTo(42202);
    assertThat(codeOf(() -> store.lookup("s", Schemas.ORDER))).isEqualTo(40403);
  }

  private static boolean accepted(CompatibilityLevel level, String existing, String candidate) {
    SchemaStore store = new SchemaStore(level);
    store.register("s", existing);
    boolean checkSaysCompatible = store.checkCompatibility("s", null, candidate).isEmpty();
    boolean registered = tryRegister(store, "s", candidate);
    assertThat(checkSaysCompatible).as("compatibility check agrees with registration").isEqualTo(registered);
    return registered;
  }

  private static boolean tryRegister(SchemaStore store, String subject, String schema) {
    try {
      store.register(subject, schema);
      return true;
    } catch (RegistryException e) {
      assertThat(e.errorCode()).isEqualTo(409);
      return false;
    }
  }

  private static int codeOf(Runnable action) {
    try {
      action.run();
    } catch (RegistryException e) {
      return e.errorCode();
    }
    throw new AssertionError("expected a RegistryException");
  }
}
