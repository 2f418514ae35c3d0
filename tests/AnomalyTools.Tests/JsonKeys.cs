using System.Text;
using System.Text.Json;
using Xunit;

namespace AnomalyTools.Tests;

/// <summary>Checks on JSON text that a parser into a dictionary would not make: a key named twice in one object.</summary>
public static class JsonKeys
{
    /// <summary>Fails when any object in <paramref name="json"/> (one value, or JSON Lines) names a key twice, ignoring case.</summary>
    public static void AssertUniqueInEveryObject(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json), new JsonReaderOptions { AllowMultipleValues = true });
        var objects = new Stack<HashSet<string>?>();
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    objects.Push(new HashSet<string>(StringComparer.OrdinalIgnoreCase));
                    break;
                case JsonTokenType.StartArray:
                    objects.Push(null);
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    objects.Pop();
                    break;
                case JsonTokenType.PropertyName:
                    var name = reader.GetString()!;
                    Assert.True(objects.Peek()!.Add(name), $"'{name}' is named twice in one object of {json}");
                    break;
            }
        }
    }
}
