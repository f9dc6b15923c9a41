//! Gazetteers written for this crate from general knowledge (no external
//! list, nothing taken from the CoNLL data): countries, capitals and large
//! cities, regions, nationalities, international organisations, common given
//! names, person titles, and the cue words that end organisation, place and
//! event names. Entries are lower-case and tokenized the way
//! [`crate::tokenize`] splits text; multi-word entries are matched as token
//! sequences of up to [`MAX_LEN`] tokens.

use std::collections::HashMap;
use std::sync::OnceLock;

pub const MAX_LEN: usize = 4;

/// Gazetteer classes (bit positions).
pub const CLASSES: [&str; 14] = [
    "country",
    "city",
    "region",
    "nationality",
    "org",
    "given",
    "surname",
    "title",
    "orgcue",
    "loccue",
    "misccue",
    "month",
    "day",
    "corpsuffix",
];

const COUNTRIES: &str = "afghanistan|albania|algeria|andorra|angola|antigua and barbuda|argentina|armenia|australia|austria|azerbaijan|bahamas|bahrain|bangladesh|barbados|belarus|belgium|belize|benin|bhutan|bolivia|bosnia|bosnia and herzegovina|herzegovina|botswana|brazil|brunei|bulgaria|burkina faso|burundi|cambodia|cameroon|canada|cape verde|central african republic|chad|chile|china|colombia|comoros|congo|costa rica|croatia|cuba|cyprus|czech republic|czechia|denmark|djibouti|dominica|dominican republic|east timor|timor-leste|ecuador|egypt|el salvador|equatorial guinea|eritrea|estonia|eswatini|swaziland|ethiopia|fiji|finland|france|gabon|gambia|georgia|germany|ghana|greece|grenada|guatemala|guinea|guinea-bissau|guyana|haiti|honduras|hungary|iceland|india|indonesia|iran|iraq|ireland|israel|italy|ivory coast|jamaica|japan|jordan|kazakhstan|kenya|kiribati|kosovo|kuwait|kyrgyzstan|laos|latvia|lebanon|lesotho|liberia|libya|liechtenstein|lithuania|luxembourg|macedonia|north macedonia|madagascar|malawi|malaysia|maldives|mali|malta|marshall islands|mauritania|mauritius|mexico|micronesia|moldova|monaco|mongolia|montenegro|morocco|mozambique|myanmar|burma|namibia|nauru|nepal|netherlands|holland|new zealand|nicaragua|niger|nigeria|north korea|norway|oman|pakistan|palau|palestine|panama|papua new guinea|paraguay|peru|philippines|poland|portugal|qatar|romania|russia|rwanda|saint lucia|samoa|san marino|saudi arabia|senegal|serbia|seychelles|sierra leone|singapore|slovakia|slovenia|solomon islands|somalia|south africa|south korea|korea|south sudan|spain|sri lanka|sudan|suriname|sweden|switzerland|syria|taiwan|tajikistan|tanzania|thailand|togo|tonga|trinidad|trinidad and tobago|tunisia|turkey|turkiye|turkmenistan|tuvalu|uganda|ukraine|united arab emirates|uae|united kingdom|uk|britain|great britain|england|scotland|wales|northern ireland|united states|united states of america|usa|u.s.|us|america|uruguay|uzbekistan|vanuatu|vatican|venezuela|vietnam|yemen|zambia|zimbabwe|yugoslavia|soviet union|ussr|zaire|czechoslovakia|hong kong|macau|greenland|puerto rico|chechnya|crimea|gaza|west bank|kashmir|tibet|kurdistan|abkhazia|transnistria";

const CITIES: &str = "kabul|tirana|algiers|luanda|buenos aires|yerevan|canberra|sydney|melbourne|perth|brisbane|vienna|baku|manama|dhaka|minsk|brussels|antwerp|sarajevo|gaborone|brasilia|rio de janeiro|sao paulo|sofia|ouagadougou|phnom penh|yaounde|ottawa|toronto|montreal|vancouver|santiago|beijing|shanghai|hong kong|guangzhou|shenzhen|wuhan|bogota|kinshasa|havana|nicosia|prague|copenhagen|cairo|alexandria|quito|addis ababa|helsinki|paris|marseille|lyon|nice|tbilisi|berlin|munich|frankfurt|hamburg|cologne|bonn|stuttgart|dusseldorf|accra|athens|budapest|reykjavik|new delhi|delhi|mumbai|bombay|calcutta|kolkata|bangalore|chennai|madras|jakarta|tehran|baghdad|basra|mosul|dublin|jerusalem|tel aviv|rome|milan|naples|turin|florence|venice|tokyo|osaka|kyoto|amman|astana|almaty|nairobi|kuwait city|bishkek|vientiane|riga|beirut|tripoli|benghazi|vilnius|luxembourg|skopje|kuala lumpur|valletta|mexico city|chisinau|ulan bator|ulaanbaatar|podgorica|rabat|casablanca|maputo|yangon|rangoon|windhoek|kathmandu|amsterdam|rotterdam|the hague|wellington|auckland|managua|abuja|lagos|pyongyang|oslo|muscat|islamabad|karachi|lahore|panama city|asuncion|lima|manila|warsaw|krakow|lisbon|porto|doha|bucharest|moscow|st. petersburg|saint petersburg|kigali|riyadh|jeddah|dakar|belgrade|freetown|bratislava|ljubljana|mogadishu|pretoria|johannesburg|cape town|durban|seoul|madrid|barcelona|seville|valencia|colombo|khartoum|stockholm|bern|zurich|geneva|basel|lausanne|damascus|aleppo|taipei|dushanbe|dar es salaam|bangkok|tunis|ankara|istanbul|ashgabat|kampala|kiev|kyiv|kharkiv|odesa|odessa|lviv|donetsk|luhansk|mariupol|abu dhabi|dubai|london|manchester|liverpool|birmingham|leeds|glasgow|edinburgh|cardiff|belfast|washington|new york|los angeles|chicago|houston|philadelphia|boston|san francisco|seattle|miami|atlanta|dallas|detroit|denver|las vegas|new orleans|montevideo|tashkent|caracas|hanoi|ho chi minh city|saigon|sanaa|aden|lusaka|harare|gaza city|ramallah|hebron|grozny|sevastopol|simferopol|novosibirsk|yekaterinburg|vladivostok|minneapolis|pittsburgh|baltimore|st. louis|cleveland|cincinnati|phoenix|san diego|sacramento|austin|brasília|são paulo|bogotá|zürich|kraków|düsseldorf|münchen|köln|gdansk|marseilles|strasbourg|bordeaux|toulouse|lille|frankfurt am main|leipzig|dresden|hanover|nuremberg|salzburg|innsbruck|geneve|tallinn|sarajevo|zagreb|split|dubrovnik|thessaloniki|izmir|antalya|haifa|mecca|medina|karbala|najaf|fallujah|kirkuk|erbil|homs|idlib|raqqa|kandahar|herat|peshawar|quetta|rawalpindi|srinagar|hyderabad|ahmedabad|pune|macao|chongqing|tianjin|nanjing|hangzhou|chengdu|xian|harbin|kowloon|incheon|busan|pusan|sapporo|yokohama|nagoya|kobe|hiroshima|fukushima|okinawa|brisbane|adelaide|darwin|christchurch|kolkatta|lagos|kano|mombasa|kinshasa|lubumbashi|goma|juba|benghazi|misrata|fez|marrakech|oran|tunis|sfax";

const REGIONS: &str = "europe|asia|africa|north america|south america|latin america|central america|antarctica|oceania|middle east|near east|far east|balkans|caucasus|scandinavia|baltic|baltics|sahara|sahel|siberia|arctic|mediterranean|caribbean|persian gulf|gulf|pacific|atlantic|indian ocean|black sea|red sea|caspian sea|north sea|baltic sea|south china sea|taiwan strait|strait of hormuz|suez canal|west africa|east africa|southern africa|north africa|horn of africa|southeast asia|south asia|central asia|east asia|western europe|eastern europe|central europe|northern europe|southern europe|eurasia|new england|midwest|silicon valley|wall street|california|texas|florida|new york state|ohio|michigan|illinois|pennsylvania|georgia|virginia|west virginia|north carolina|south carolina|tennessee|kentucky|alabama|mississippi|louisiana|arkansas|missouri|iowa|minnesota|wisconsin|indiana|kansas|nebraska|oklahoma|colorado|utah|nevada|arizona|new mexico|oregon|washington state|idaho|montana|wyoming|north dakota|south dakota|alaska|hawaii|maine|vermont|new hampshire|massachusetts|connecticut|rhode island|new jersey|delaware|maryland|ontario|quebec|british columbia|alberta|manitoba|saskatchewan|nova scotia|bavaria|saxony|catalonia|basque country|andalusia|tuscany|lombardy|sicily|sardinia|corsica|brittany|normandy|provence|flanders|wallonia|yorkshire|lancashire|kent|essex|cornwall|ulster|punjab|kashmir|bengal|kerala|tamil nadu|gujarat|xinjiang|guangdong|sichuan|mindanao|java|sumatra|bali|borneo|sabah|kurdistan|donbas|donbass|zaporizhzhia|kherson|kursk|belgorod|dagestan|ingushetia|tatarstan|chechnya|crimea|transylvania|bohemia|moravia|silesia|galilee|golan heights|sinai|negev|darfur|kordofan|tigray|amhara|oromia|ogaden|cabinda|katanga|kivu|rift valley|patagonia|amazon|andes|alps|himalayas|pyrenees|urals|rockies|everest";

const NATIONALITIES: &str = "afghan|albanian|algerian|american|andorran|angolan|argentine|argentinian|armenian|australian|austrian|azerbaijani|azeri|bahamian|bahraini|bangladeshi|barbadian|belarusian|belarussian|belgian|belizean|beninese|bhutanese|bolivian|bosnian|brazilian|british|bruneian|bulgarian|burkinabe|burmese|burundian|cambodian|cameroonian|canadian|chadian|chilean|chinese|colombian|congolese|costa rican|croatian|croat|cuban|cypriot|czech|danish|dane|djiboutian|dominican|dutch|ecuadorean|ecuadorian|egyptian|emirati|english|eritrean|estonian|ethiopian|fijian|filipino|finnish|finn|french|gabonese|gambian|georgian|german|ghanaian|greek|grenadian|guatemalan|guinean|guyanese|haitian|honduran|hungarian|icelandic|indian|indonesian|iranian|iraqi|irish|israeli|italian|ivorian|jamaican|japanese|jordanian|kazakh|kazakhstani|kenyan|korean|kosovar|kuwaiti|kyrgyz|lao|laotian|latvian|lebanese|liberian|libyan|lithuanian|luxembourgish|macedonian|malagasy|malawian|malaysian|maldivian|malian|maltese|mauritanian|mauritian|mexican|moldovan|monegasque|mongolian|montenegrin|moroccan|mozambican|namibian|nepalese|nepali|new zealander|nicaraguan|nigerian|nigerien|norwegian|omani|pakistani|palestinian|panamanian|paraguayan|peruvian|polish|pole|portuguese|qatari|romanian|russian|rwandan|salvadoran|samoan|saudi|scottish|scot|senegalese|serbian|serb|singaporean|slovak|slovakian|slovenian|slovene|somali|south african|spanish|spaniard|sri lankan|sudanese|swedish|swede|swiss|syrian|taiwanese|tajik|tanzanian|thai|togolese|tongan|tunisian|turkish|turk|turkmen|ugandan|ukrainian|uruguayan|uzbek|venezuelan|vietnamese|welsh|yemeni|zambian|zimbabwean|european|asian|african|arab|arabic|latin|western|kurdish|kurd|basque|catalan|flemish|walloon|tamil|sikh|hindu|muslim|moslem|christian|catholic|protestant|jewish|jew|orthodox|sunni|shia|shiite|shi'ite|islamic|buddhist|yugoslav|soviet|chechen|tatar|uighur|uyghur|pashtun|baloch|hutu|tutsi|somalian|bosniak|kosovo albanian|slav|slavic|nordic|scandinavian|balkan|caucasian|hispanic|latino|anglo|anglo-saxon|celtic|gaelic|persian|ottoman|roman|byzantine|mediterranean|atlantic|pacific|yiddish|hebrew|mandarin|cantonese|hindi|urdu|bengali|swahili|zulu|xhosa|afrikaans|americans|germans|russians|ukrainians|israelis|palestinians|iranians|iraqis|syrians|afghans|pakistanis|indians|chinese|britons|brits|frenchmen|italians|spaniards|canadians|australians|mexicans|brazilians|argentines|turks|greeks|serbs|croats|bosnians|albanians|kurds|arabs|europeans|africans|asians|muslims|christians|jews|catholics|protestants|sunnis|shiites|republican|democrat|democratic|communist|socialist|conservative|liberal|labour|tory|tories|olympic|olympics|paralympic|nobel|oscar|grammy|emmy|internet|covid-19|covid|coronavirus|brexit|euro|euros|dollar|yen";

const ORGS: &str = "un|u.n.|united nations|nato|eu|e.u.|european union|european commission|european parliament|european central bank|ecb|imf|international monetary fund|world bank|wto|world trade organization|who|world health organization|unesco|unicef|unhcr|opec|asean|african union|arab league|g7|g8|g20|brics|osce|council of europe|interpol|europol|red cross|icrc|amnesty international|human rights watch|greenpeace|fifa|uefa|ioc|international olympic committee|iaaf|fia|nba|nfl|nhl|mlb|atp|wta|pga|bbc|cnn|reuters|associated press|ap|afp|bloomberg|tass|interfax|ria novosti|xinhua|al jazeera|fox news|nbc|abc|cbs|npr|new york times|washington post|wall street journal|financial times|guardian|the guardian|economist|kremlin|pentagon|white house|congress|senate|house of representatives|state department|fbi|cia|nsa|nasa|fed|federal reserve|supreme court|parliament|duma|state duma|bundestag|bundesbank|knesset|rada|verkhovna rada|kremlin|politburo|hamas|hezbollah|taliban|al qaeda|al-qaeda|islamic state|isis|isil|plo|ira|eta|pkk|fsb|kgb|gru|sbu|mossad|mi5|mi6|google|alphabet|apple|microsoft|amazon|meta|facebook|twitter|x|tesla|spacex|openai|nvidia|intel|amd|ibm|oracle|samsung|sony|toyota|honda|nissan|volkswagen|bmw|mercedes|daimler|ford|general motors|gm|boeing|airbus|gazprom|rosneft|lukoil|exxon|exxonmobil|chevron|shell|bp|total|totalenergies|aramco|saudi aramco|goldman sachs|jpmorgan|morgan stanley|citigroup|hsbc|barclays|deutsche bank|ubs|credit suisse|blackrock|visa|mastercard|paypal|netflix|disney|walmart|nike|adidas|pfizer|moderna|astrazeneca|johnson & johnson|novartis|roche|bayer|siemens|philips|nokia|ericsson|huawei|alibaba|tencent|baidu|bytedance|tiktok|yandex|sberbank|vtb|aeroflot|lufthansa|air france|british airways|klm|ryanair|emirates|qatar airways|real madrid|barcelona|manchester united|manchester city|chelsea|arsenal|liverpool|bayern munich|juventus|ac milan|inter milan|psg|paris saint-germain|ajax|psv|benfica|porto|celtic|rangers|labour party|conservative party|democratic party|republican party|christian democrats|social democrats|cdu|csu|spd|fdp|afd|bjp|congress party|anc|likud|united russia|sinn fein|national front|national rally|greens|liberal democrats|tories|sec|ftc|fda|epa|nhs|ofcom|opcw|iaea|icc|icj|nasdaq|nyse|dow jones|ftse|s&p|moody's|fitch|standard & poor's";

const GIVEN: &str = "james|john|robert|michael|william|david|richard|joseph|thomas|charles|christopher|daniel|matthew|anthony|mark|donald|steven|paul|andrew|joshua|kenneth|kevin|brian|george|timothy|ronald|edward|jason|jeffrey|ryan|jacob|gary|nicholas|eric|jonathan|stephen|larry|justin|scott|brandon|benjamin|samuel|gregory|alexander|frank|patrick|raymond|jack|dennis|jerry|tyler|aaron|jose|adam|nathan|henry|douglas|zachary|peter|kyle|noah|ethan|jeremy|walter|christian|keith|roger|terry|austin|sean|gerald|carl|harold|dylan|arthur|lawrence|jordan|jesse|bryan|billy|bruce|gabriel|joe|logan|alan|juan|albert|willie|elijah|wayne|randy|vincent|mary|patricia|jennifer|linda|elizabeth|barbara|susan|jessica|sarah|karen|lisa|nancy|betty|sandra|margaret|ashley|kimberly|emily|donna|michelle|carol|amanda|melissa|deborah|stephanie|dorothy|rebecca|sharon|laura|cynthia|amy|kathleen|angela|shirley|brenda|emma|anna|pamela|nicole|samantha|katherine|christine|helen|debra|rachel|carolyn|janet|maria|catherine|heather|diane|olivia|julie|joyce|victoria|ruth|virginia|lauren|kelly|christina|joan|evelyn|judith|andrea|hannah|megan|cheryl|jacqueline|martha|madison|teresa|gloria|sara|janice|ann|kathryn|abigail|sophia|frances|jean|alice|judy|isabella|julia|grace|amber|denise|danielle|marilyn|beverly|charlotte|natalie|theresa|diana|brittany|doris|kayla|alexis|lori|marie|bill|bob|tom|tony|mike|jim|dave|steve|chris|nick|ben|sam|tim|dan|rob|ed|ted|ken|jeff|greg|matt|pete|andy|alex|vladimir|sergei|sergey|dmitry|dmitri|alexei|alexey|andrei|andrey|mikhail|ivan|nikolai|yuri|boris|igor|oleg|viktor|victor|pavel|anatoly|yevgeny|evgeny|gennady|leonid|maxim|roman|ilya|konstantin|volodymyr|petro|oleksandr|oleksiy|olena|yulia|viktor|natalia|tatiana|olga|svetlana|irina|elena|anastasia|ekaterina|yekaterina|marina|ludmila|lyudmila|mohammed|muhammad|mohamed|mohammad|ahmed|ahmad|ali|hassan|hussein|omar|abdul|abdullah|ibrahim|mahmoud|khalid|mustafa|youssef|yusuf|hamid|karim|tariq|recep|emmanuel|jean-claude|jean-pierre|jean-marie|francois|françois|pierre|jacques|michel|philippe|nicolas|alain|bernard|christophe|laurent|olivier|emmanuelle|marine|ségolène|angela|olaf|friedrich|helmut|gerhard|wolfgang|hans|klaus|jurgen|jürgen|dieter|heinz|karl|ursula|annalena|giuseppe|giovanni|mario|luigi|silvio|matteo|giorgia|sergio|carlos|luis|miguel|javier|pedro|jorge|manuel|fernando|antonio|francisco|pablo|diego|alejandro|rafael|gustavo|ricardo|luiz|inacio|jair|xi|li|wang|zhang|liu|chen|yang|hu|deng|mao|zhou|kim|lee|park|moon|yoon|shinzo|fumio|yoshihide|junichiro|narendra|rahul|sonia|indira|rajiv|imran|nawaz|benazir|benjamin|yair|naftali|ehud|ariel|shimon|yitzhak|golda|yasser|mahmoud|nelson|jacob|cyril|thabo|robert|kofi|ban|antonio|jens|mark|recep|bashar|hafez|saddam|muammar|hosni|anwar|abdel|fatah|kais|nouri|haider|masoud|hamid|ashraf|jimmy|gerald|lyndon|dwight|franklin|theodore|woodrow|abraham|hillary|kamala|nancy|mitch|chuck|bernie|elizabeth|ron|marco|ted|rishi|boris|theresa|tony|gordon|keir|liz|nicola|jeremy|justin|stephen|jacinda|scott|malcolm|kevin|anthony|emmanuel|volodymyr";

const SURNAMES: &str = "putin|medvedev|lavrov|shoigu|peskov|navalny|gorbachev|yeltsin|zelensky|zelenskiy|zelenskyy|poroshenko|yanukovych|tymoshenko|klitschko|lukashenko|tikhanovskaya|nazarbayev|tokayev|aliyev|pashinyan|erdogan|netanyahu|bennett|lapid|gantz|herzog|abbas|arafat|haniyeh|sinwar|nasrallah|khamenei|rouhani|raisi|pezeshkian|zarif|assad|sisi|mubarak|morsi|gaddafi|qaddafi|saleh|bin salman|bin laden|zawahiri|baghdadi|karzai|ghani|modi|gandhi|khan|sharif|bhutto|xi|jinping|hu|jintao|jiang|zemin|li|keqiang|qiang|deng|mao|kishida|abe|suga|koizumi|moon|yoon|kim|jong-un|jong-il|biden|trump|obama|clinton|bush|reagan|carter|nixon|kennedy|harris|pence|vance|pelosi|mcconnell|schumer|sanders|warren|desantis|rubio|cruz|blinken|pompeo|kerry|austin|sullivan|powell|yellen|bernanke|greenspan|lagarde|draghi|merkel|scholz|merz|steinmeier|baerbock|macron|hollande|sarkozy|chirac|mitterrand|le pen|melenchon|mélenchon|barnier|meloni|berlusconi|renzi|conte|prodi|sanchez|sánchez|rajoy|zapatero|aznar|costa|rutte|schoof|orban|orbán|duda|tusk|kaczynski|fico|babis|babiš|vucic|vučić|stoltenberg|rutte|von der leyen|juncker|tusk|michel|borrell|guterres|annan|ban|sunak|johnson|may|cameron|brown|blair|major|thatcher|starmer|truss|corbyn|farage|sturgeon|trudeau|harper|carney|albanese|morrison|turnbull|ardern|lula|bolsonaro|milei|maduro|chavez|chávez|castro|obrador|sheinbaum|petro|boric|mandela|zuma|ramaphosa|mbeki|mugabe|kagame|museveni|kenyatta|ruto|abiy|buhari|tinubu|musk|bezos|zuckerberg|gates|jobs|cook|nadella|pichai|altman|buffett|dimon|soros|murdoch|pope|francis|benedict|leo";

const TITLES: &str = "mr|mr.|mrs|mrs.|ms|ms.|dr|dr.|prof|prof.|sir|dame|lord|lady|president|vice president|prime minister|premier|chancellor|minister|secretary|senator|sen.|congressman|congresswoman|representative|rep.|governor|gov.|mayor|king|queen|prince|princess|emperor|pope|cardinal|archbishop|bishop|rabbi|imam|ayatollah|sheikh|general|gen.|colonel|col.|captain|capt.|lieutenant|lt.|sergeant|sgt.|admiral|commander|judge|justice|attorney|ambassador|envoy|spokesman|spokeswoman|spokesperson|chairman|chairwoman|chair|ceo|director|coach|manager|striker|midfielder|defender|goalkeeper|pitcher|quarterback|leader|deputy|officer|inspector|professor|father|brother|sister|saint|st.|st|monsieur|madame|herr|frau|señor|senor|comrade|president-elect|ex-president|former|late|mrs";

const ORG_CUES: &str = "party|ministry|bank|university|college|school|institute|council|committee|commission|agency|authority|association|federation|union|league|club|fc|f.c.|united|city|rovers|wanderers|athletic|group|holdings|company|corporation|foundation|trust|fund|organisation|organization|society|board|office|department|service|services|army|navy|force|forces|police|court|parliament|assembly|congress|senate|government|administration|airlines|airways|motors|industries|systems|technologies|energy|oil|petroleum|telecom|communications|media|news|times|post|journal|press|herald|tribune|television|tv|radio|network|exchange|market|markets|capital|partners|securities|investments|insurance|pharmaceuticals|labs|laboratories|hospital|church|front|movement|alliance|coalition|brigade|brigades|guard|team|orchestra|band|cabinet|tribunal|bureau|secretariat|directorate|centre|center|academy|museum|reserve|treasury|customs|unit";

const CORP_SUFFIXES: &str = "inc|inc.|corp|corp.|co|co.|ltd|ltd.|llc|plc|ag|sa|s.a.|nv|n.v.|gmbh|spa|s.p.a.|ab|as|asa|oyj|bv|b.v.|pty|limited|incorporated|group|holdings|lp|l.p.";

const LOC_CUES: &str = "river|lake|mountain|mountains|mount|mt.|sea|ocean|bay|gulf|island|islands|isles|peninsula|valley|desert|forest|park|street|st.|avenue|ave.|road|boulevard|square|bridge|airport|station|port|province|state|county|district|region|republic|kingdom|city|town|village|canal|strait|coast|beach|border|heights|hills|falls|cape|harbour|harbor|plaza|stadium|arena|palace|tower|castle|cathedral|temple|mosque|hotel|oblast|krai|prefecture|governorate";

const MISC_CUES: &str = "cup|open|championship|championships|games|olympics|tournament|trophy|prize|award|awards|grand prix|series|war|act|treaty|accord|accords|agreement|summit|conference|festival|show|day|index|bowl|classic|masters|rally|tour|marathon|derby|stakes|league|doctrine|plan|protocol|convention|declaration|revolution|crisis|scandal|revolt|uprising|offensive|operation|pact|law|bill|code|award|medal";

const MONTHS: &str = "january|february|march|april|may|june|july|august|september|october|november|december|jan|jan.|feb|feb.|mar.|apr|apr.|jun.|jul.|aug|aug.|sep|sep.|sept|sept.|oct|oct.|nov|nov.|dec|dec.";

const DAYS: &str = "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|today|yesterday|tomorrow|weekend";

/// Class bits of each known lower-cased token sequence.
pub struct Gazetteer {
    map: HashMap<String, u16>,
}

impl Gazetteer {
    fn build() -> Gazetteer {
        let mut map: HashMap<String, u16> = HashMap::new();
        let lists: [&str; 14] = [
            COUNTRIES,
            CITIES,
            REGIONS,
            NATIONALITIES,
            ORGS,
            GIVEN,
            SURNAMES,
            TITLES,
            ORG_CUES,
            LOC_CUES,
            MISC_CUES,
            MONTHS,
            DAYS,
            CORP_SUFFIXES,
        ];
        // Generated lists (crates/ner/data/build_gazetteers.py): class index, text.
        let files: [(usize, &str); 3] = [
            (1, include_str!("../data/cities.txt")),
            (5, include_str!("../data/given.txt")),
            (6, include_str!("../data/surnames.txt")),
        ];
        let entries = lists
            .iter()
            .enumerate()
            .flat_map(|(class, list)| list.split('|').map(move |e| (class, e)))
            .chain(
                files
                    .iter()
                    .flat_map(|&(class, text)| text.lines().map(move |e| (class, e))),
            );
        {
            for (class, entry) in entries {
                let toks = crate::tokenize::tokenize(entry);
                if toks.is_empty() || toks.len() > MAX_LEN {
                    continue;
                }
                let key = toks
                    .iter()
                    .map(|t| &entry[t.start..t.end])
                    .collect::<Vec<_>>()
                    .join(" ");
                *map.entry(key).or_default() |= 1 << class;
            }
        }
        Gazetteer { map }
    }

    /// The shared gazetteer.
    pub fn get() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        G.get_or_init(Gazetteer::build)
    }

    /// For each token (lower-cased forms), the classes of matches that start,
    /// continue, or are a single token, as `(class bits, position)` pairs:
    /// position 0 = unit, 1 = begin, 2 = inside, 3 = last.
    pub fn matches(&self, lower: &[&str]) -> Vec<Vec<(u16, u8)>> {
        let mut out = vec![Vec::new(); lower.len()];
        let mut key = String::new();
        for i in 0..lower.len() {
            key.clear();
            for len in 1..=MAX_LEN.min(lower.len() - i) {
                if len > 1 {
                    key.push(' ');
                }
                key.push_str(lower[i + len - 1]);
                if let Some(&bits) = self.map.get(key.as_str()) {
                    if len == 1 {
                        out[i].push((bits, 0));
                    } else {
                        out[i].push((bits, 1));
                        for o in &mut out[i + 1..i + len - 1] {
                            o.push((bits, 2));
                        }
                        out[i + len - 1].push((bits, 3));
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_word_entries_match() {
        let g = Gazetteer::get();
        let m = g.matches(&["in", "new", "york", "city"]);
        assert!(m[0].is_empty());
        assert!(m[1].iter().any(|&(b, p)| b & 2 != 0 && p == 1));
        assert!(m[2].iter().any(|&(b, p)| b & 2 != 0 && p == 3));
        let m = g.matches(&["u.s."]);
        assert!(m[0].iter().any(|&(b, _)| b & 1 != 0));
    }
}
