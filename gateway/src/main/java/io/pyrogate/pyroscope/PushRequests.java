package io.pyrogate.pyroscope;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.InvalidProtocolBufferException;
import io.pyrogate.proto.push.v1.PushRequest;

/** Parsing of serialized push.v1 requests. */
public final class PushRequests {
  private PushRequests() {}

  /**
   * Parses a serialized PushRequest whose raw profiles share {@code bytes} instead of copying them
   * (a profile is tens of KB; the request is only read for validation and labels). The caller must
   * not modify {@code bytes} afterwards.
   */
  public static PushRequest parse(byte[] bytes) throws InvalidProtocolBufferException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    in.enableAliasing(true);
    PushRequest request =
        PushRequest.parser().parseFrom(in, ExtensionRegistryLite.getEmptyRegistry());
    in.checkLastTagWas(0);
    return request;
  }
}
